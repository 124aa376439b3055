/*
 * tcpsim-kernel-helper: the real-kernel side of tcpsim's `linux` script backend.
 *
 * Started inside a network namespace (`ip netns exec NAME tcpsim-kernel-helper`), it opens a tun
 * device, then obeys one command a line on stdin and answers on stdout. Java owns the script;
 * this program only makes the system calls Java cannot make (sockets in another namespace, the
 * tun device, blocking calls with their return times) and stays as small as that allows.
 *
 * Protocol (text, one line each way, fields separated by one space):
 *   helper -> java   hello 1 IFNAME                      once, when the tun device is open
 *   helper -> java   p T_NS HEX                          a packet the kernel sent into the tun
 *   helper -> java   r RET ERRNO [k=v ...]               the reply to the last command
 *   helper -> java   b                                   the last command blocked in the kernel
 *   helper -> java   d T_NS RET ERRNO [k=v ...]          a blocked command returned at T_NS
 *   java -> helper   inject HEX | sysctl PATH VALUE | socket DOM TYPE PROTO | bind FD IP PORT
 *                    connect FD IP PORT | listen FD N | accept FD | read FD N | recv FD N FLAGS
 *                    write FD N | send FD N FLAGS | close FD | shutdown FD HOW
 *                    setsockopt FD LEVEL OPT V | linger FD ONOFF SECS | getsockopt FD LEVEL OPT
 *                    fcntl FD CMD ARG | ioctl FD REQ | poll TIMEOUT_MS FD EVENTS [FD EVENTS...]
 *                    tcpinfo FD | cong FD NAME (TCP_CONGESTION) | now
 *                    at T_NS COMMAND...   sleeps until T_NS, then runs COMMAND; its reply
 *                                         carries late=NS, how far past T_NS it ran
 * ERRNO is the errno's name ("-" when none); T_NS is CLOCK_MONOTONIC, the clock Java's
 * System.nanoTime reads on Linux, so both sides share one time line.
 *
 * Blocking: every socket call runs on a worker thread. The call is reported blocked ("b") once
 * its thread sleeps interruptibly inside the kernel (state S in /proc/self/task/TID/stat), the
 * way a blocked accept(), connect() or read() waits; its return comes later as "d".
 *
 * File descriptors: the tun device and the workers' /proc files are moved above 500 so that the
 * script's first socket is 3, as in a fresh process.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/if.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <linux/if_tun.h>
#include <linux/sockios.h>
#include <linux/tcp.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#define MAX_LINE 300000
#define WORKERS 4
#define HIGH_FD 500

static pthread_mutex_t out_lock = PTHREAD_MUTEX_INITIALIZER;
static int tun_fd = -1;
/* A packet socket on the tun: the kernel stamps each outgoing packet as it leaves the stack. */
static int tap_fd = -1;
/* How late the current command started after its "at" time, or -1 when it had none. */
static long long action_late = -1;

/* " late=NS" for the reply of a timed command, else "". */
static const char *late_field(void) {
  static char buf[40];
  if (action_late < 0) return "";
  snprintf(buf, sizeof buf, " late=%lld", action_late);
  return buf;
}

static long long now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (long long) ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* Writes one whole line to stdout; lines from several threads never interleave. */
static void emit(const char *fmt, ...) {
  va_list ap;
  pthread_mutex_lock(&out_lock);
  va_start(ap, fmt);
  vfprintf(stdout, fmt, ap);
  va_end(ap);
  fputc('\n', stdout);
  fflush(stdout);
  pthread_mutex_unlock(&out_lock);
}

static const char *errno_name(int e) {
  switch (e) {
    case 0: return "-";
    case EPERM: return "EPERM";
    case ENOENT: return "ENOENT";
    case EINTR: return "EINTR";
    case EIO: return "EIO";
    case EBADF: return "EBADF";
    case EAGAIN: return "EAGAIN";
    case ENOMEM: return "ENOMEM";
    case EACCES: return "EACCES";
    case EFAULT: return "EFAULT";
    case EBUSY: return "EBUSY";
    case EEXIST: return "EEXIST";
    case EINVAL: return "EINVAL";
    case EPIPE: return "EPIPE";
    case ENOTSOCK: return "ENOTSOCK";
    case EDESTADDRREQ: return "EDESTADDRREQ";
    case EMSGSIZE: return "EMSGSIZE";
    case EPROTOTYPE: return "EPROTOTYPE";
    case ENOPROTOOPT: return "ENOPROTOOPT";
    case EPROTONOSUPPORT: return "EPROTONOSUPPORT";
    case EOPNOTSUPP: return "EOPNOTSUPP";
    case EAFNOSUPPORT: return "EAFNOSUPPORT";
    case EADDRINUSE: return "EADDRINUSE";
    case EADDRNOTAVAIL: return "EADDRNOTAVAIL";
    case ENETDOWN: return "ENETDOWN";
    case ENETUNREACH: return "ENETUNREACH";
    case ECONNABORTED: return "ECONNABORTED";
    case ECONNRESET: return "ECONNRESET";
    case ENOBUFS: return "ENOBUFS";
    case EISCONN: return "EISCONN";
    case ENOTCONN: return "ENOTCONN";
    case ETIMEDOUT: return "ETIMEDOUT";
    case ECONNREFUSED: return "ECONNREFUSED";
    case EHOSTUNREACH: return "EHOSTUNREACH";
    case EALREADY: return "EALREADY";
    case EINPROGRESS: return "EINPROGRESS";
    default: return "EUNKNOWN";
  }
}

/* ---- packets ------------------------------------------------------------------------------ */

static void emit_packet(long long t, const unsigned char *pkt, ssize_t n) {
  static const char hex[] = "0123456789abcdef";
  static char line[2 * 65536 + 64];
  char *w = line;
  for (ssize_t i = 0; i < n; i++) {
    *w++ = hex[pkt[i] >> 4];
    *w++ = hex[pkt[i] & 15];
  }
  *w = 0;
  emit("p %lld %s", t, line);
}

/* Reads what the kernel routes into the tun; reports it only when there is no packet socket. */
static void *tun_reader(void *unused) {
  (void) unused;
  static unsigned char pkt[65536];
  for (;;) {
    ssize_t n = read(tun_fd, pkt, sizeof pkt);
    if (n < 0) {
      if (errno == EINTR) continue;
      emit("x tun read failed: %s", strerror(errno));
      exit(3);
    }
    if (tap_fd < 0) emit_packet(now_ns(), pkt, n);
  }
  return NULL;
}

/*
 * Reports outgoing packets with the kernel's own time stamp (taken in dev_queue_xmit_nit as the
 * packet passes to the device), so a reader thread that wakes late does not make a segment late.
 * The stamp is CLOCK_REALTIME; it is moved to CLOCK_MONOTONIC with the clocks' current offset.
 */
static void *tap_reader(void *unused) {
  (void) unused;
  static unsigned char pkt[65536];
  char control[256];
  for (;;) {
    struct sockaddr_ll from;
    struct iovec iov = {pkt, sizeof pkt};
    struct msghdr msg;
    memset(&msg, 0, sizeof msg);
    msg.msg_name = &from;
    msg.msg_namelen = sizeof from;
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    msg.msg_control = control;
    msg.msg_controllen = sizeof control;
    ssize_t n = recvmsg(tap_fd, &msg, 0);
    if (n < 0) {
      /* Bound while tun0 was still down: the socket reports ENETDOWN once, then waits for it. */
      if (errno == EINTR || errno == ENETDOWN) continue;
      emit("x packet socket read failed: %s", strerror(errno));
      exit(3);
    }
    if (from.sll_pkttype != PACKET_OUTGOING) continue;
    long long t = now_ns();
    for (struct cmsghdr *c = CMSG_FIRSTHDR(&msg); c; c = CMSG_NXTHDR(&msg, c)) {
      if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_TIMESTAMPNS) {
        struct timespec stamp, real, mono;
        memcpy(&stamp, CMSG_DATA(c), sizeof stamp);
        clock_gettime(CLOCK_REALTIME, &real);
        clock_gettime(CLOCK_MONOTONIC, &mono);
        long long offset = ((long long) real.tv_sec - mono.tv_sec) * 1000000000LL
                           + (real.tv_nsec - mono.tv_nsec);
        long long k = (long long) stamp.tv_sec * 1000000000LL + stamp.tv_nsec - offset;
        if (k <= t) t = k;
      }
    }
    emit_packet(t, pkt, n);
  }
  return NULL;
}

static int open_tap(const char *name) {
  int fd = socket(AF_PACKET, SOCK_DGRAM | SOCK_CLOEXEC, htons(ETH_P_ALL));
  if (fd < 0) return -1;
  struct sockaddr_ll sll;
  memset(&sll, 0, sizeof sll);
  sll.sll_family = AF_PACKET;
  sll.sll_protocol = htons(ETH_P_ALL);
  struct ifreq ifr;
  memset(&ifr, 0, sizeof ifr);
  strncpy(ifr.ifr_name, name, IFNAMSIZ - 1);
  sll.sll_ifindex = ioctl(fd, SIOCGIFINDEX, &ifr) < 0 ? 0 : ifr.ifr_ifindex;
  int on = 1;
  if (sll.sll_ifindex == 0 || bind(fd, (struct sockaddr *) &sll, sizeof sll) < 0
      || setsockopt(fd, SOL_SOCKET, SO_TIMESTAMPNS, &on, sizeof on) < 0) {
    close(fd);
    return -1;
  }
  int high = fcntl(fd, F_DUPFD_CLOEXEC, HIGH_FD + 50);
  close(fd);
  return high;
}

static int unhex(const char *s, unsigned char *out, size_t cap) {
  size_t n = strlen(s);
  if (n % 2 != 0 || n / 2 > cap) return -1;
  for (size_t i = 0; i < n / 2; i++) {
    unsigned v;
    if (sscanf(s + 2 * i, "%2x", &v) != 1) return -1;
    out[i] = (unsigned char) v;
  }
  return (int) (n / 2);
}

/* ---- system calls on worker threads ------------------------------------------------------ */

#define MAX_ARGS 40

struct call {
  char name[32];
  long long a[MAX_ARGS];
  int argc;
  char text[64]; /* an address argument, dotted */
  /* results */
  long long ret;
  int err;
  char extra[4096];
};

struct worker {
  pthread_t thread;
  pthread_mutex_t lock;
  pthread_cond_t cond;
  int stat_fd;
  pid_t tid;
  volatile int busy;       /* a call is assigned */
  volatile int in_kernel;  /* the call has started */
  volatile int done;       /* the call has returned */
  volatile int reported_blocked;
  struct call call;
};

static struct worker workers[WORKERS];
static char io_buf[1 << 22];

static void fill(char *buf, long long n) {
  for (long long i = 0; i < n; i++) buf[i] = (char) ('a' + i % 26);
}

static void run_call(struct call *c) {
  long long *a = c->a;
  c->extra[0] = 0;
  errno = 0;
  long long r = -1;
  if (!strcmp(c->name, "socket")) {
    r = socket((int) a[0], (int) a[1], (int) a[2]);
  } else if (!strcmp(c->name, "bind") || !strcmp(c->name, "connect")) {
    struct sockaddr_in sin;
    memset(&sin, 0, sizeof sin);
    sin.sin_family = AF_INET;
    sin.sin_port = htons((uint16_t) a[1]);
    inet_pton(AF_INET, c->text, &sin.sin_addr);
    r = c->name[0] == 'b' ? bind((int) a[0], (struct sockaddr *) &sin, sizeof sin)
                          : connect((int) a[0], (struct sockaddr *) &sin, sizeof sin);
  } else if (!strcmp(c->name, "listen")) {
    r = listen((int) a[0], (int) a[1]);
  } else if (!strcmp(c->name, "accept")) {
    struct sockaddr_in sin;
    socklen_t len = sizeof sin;
    r = accept((int) a[0], (struct sockaddr *) &sin, &len);
  } else if (!strcmp(c->name, "read") || !strcmp(c->name, "recv")) {
    long long n = a[1] < (long long) sizeof io_buf ? a[1] : (long long) sizeof io_buf;
    r = c->name[0] == 'r' && c->name[2] == 'a' ? read((int) a[0], io_buf, n)
                                               : recv((int) a[0], io_buf, n, (int) a[2]);
  } else if (!strcmp(c->name, "write") || !strcmp(c->name, "send")) {
    long long n = a[1] < (long long) sizeof io_buf ? a[1] : (long long) sizeof io_buf;
    fill(io_buf, n);
    r = c->name[0] == 'w' ? write((int) a[0], io_buf, n)
                          : send((int) a[0], io_buf, n, (int) a[2] | MSG_NOSIGNAL);
  } else if (!strcmp(c->name, "close")) {
    r = close((int) a[0]);
  } else if (!strcmp(c->name, "shutdown")) {
    r = shutdown((int) a[0], (int) a[1]);
  } else if (!strcmp(c->name, "setsockopt")) {
    int v = (int) a[3];
    r = setsockopt((int) a[0], (int) a[1], (int) a[2], &v, sizeof v);
  } else if (!strcmp(c->name, "linger")) {
    struct linger l = {(int) a[1], (int) a[2]};
    r = setsockopt((int) a[0], SOL_SOCKET, SO_LINGER, &l, sizeof l);
  } else if (!strcmp(c->name, "getsockopt")) {
    int v = 0;
    socklen_t len = sizeof v;
    r = getsockopt((int) a[0], (int) a[1], (int) a[2], &v, &len);
    if (r == 0) snprintf(c->extra, sizeof c->extra, "val=%d", v);
  } else if (!strcmp(c->name, "fcntl")) {
    r = fcntl((int) a[0], (int) a[1], (long) a[2]);
  } else if (!strcmp(c->name, "ioctl")) {
    int v = 0;
    r = ioctl((int) a[0], (unsigned long) a[1], &v);
    if (r == 0) snprintf(c->extra, sizeof c->extra, "val=%d", v);
  } else if (!strcmp(c->name, "poll")) {
    struct pollfd p[MAX_ARGS / 2];
    int n = (c->argc - 1) / 2;
    for (int i = 0; i < n; i++) {
      p[i].fd = (int) a[1 + 2 * i];
      p[i].events = (short) a[2 + 2 * i];
      p[i].revents = 0;
    }
    r = poll(p, n, (int) a[0]);
    size_t off = 0;
    for (int i = 0; i < n && r >= 0; i++) {
      off += snprintf(c->extra + off, sizeof c->extra - off, "%srevents%d=%d", i ? " " : "", i,
                      p[i].revents);
    }
  } else if (!strcmp(c->name, "tcpinfo")) {
    struct tcp_info ti;
    socklen_t len = sizeof ti;
    memset(&ti, 0, sizeof ti);
    r = getsockopt((int) a[0], IPPROTO_TCP, TCP_INFO, &ti, &len);
    if (r == 0) {
      snprintf(c->extra, sizeof c->extra,
               "tcpi_state=%u tcpi_ca_state=%u tcpi_retransmits=%u tcpi_probes=%u tcpi_backoff=%u "
               "tcpi_options=%u tcpi_snd_wscale=%u tcpi_rcv_wscale=%u tcpi_rto=%u tcpi_ato=%u "
               "tcpi_snd_mss=%u tcpi_rcv_mss=%u tcpi_unacked=%u tcpi_sacked=%u tcpi_lost=%u "
               "tcpi_retrans=%u tcpi_fackets=%u tcpi_last_data_sent=%u tcpi_last_ack_sent=%u "
               "tcpi_last_data_recv=%u tcpi_last_ack_recv=%u tcpi_pmtu=%u tcpi_rcv_ssthresh=%u "
               "tcpi_rtt=%u tcpi_rttvar=%u tcpi_snd_ssthresh=%u tcpi_snd_cwnd=%u tcpi_advmss=%u "
               "tcpi_reordering=%u tcpi_rcv_rtt=%u tcpi_rcv_space=%u tcpi_total_retrans=%u "
               "tcpi_bytes_acked=%llu tcpi_bytes_received=%llu tcpi_segs_out=%u tcpi_segs_in=%u "
               "tcpi_notsent_bytes=%u tcpi_min_rtt=%u tcpi_data_segs_in=%u tcpi_data_segs_out=%u "
               "tcpi_delivered=%u tcpi_bytes_sent=%llu tcpi_bytes_retrans=%llu "
               "tcpi_dsack_dups=%u tcpi_reord_seen=%u tcpi_rcv_ooopack=%u tcpi_snd_wnd=%u",
               ti.tcpi_state, ti.tcpi_ca_state, ti.tcpi_retransmits, ti.tcpi_probes,
               ti.tcpi_backoff, ti.tcpi_options, ti.tcpi_snd_wscale, ti.tcpi_rcv_wscale,
               ti.tcpi_rto, ti.tcpi_ato, ti.tcpi_snd_mss, ti.tcpi_rcv_mss, ti.tcpi_unacked,
               ti.tcpi_sacked, ti.tcpi_lost, ti.tcpi_retrans, ti.tcpi_fackets,
               ti.tcpi_last_data_sent, ti.tcpi_last_ack_sent, ti.tcpi_last_data_recv,
               ti.tcpi_last_ack_recv, ti.tcpi_pmtu, ti.tcpi_rcv_ssthresh, ti.tcpi_rtt,
               ti.tcpi_rttvar, ti.tcpi_snd_ssthresh, ti.tcpi_snd_cwnd, ti.tcpi_advmss,
               ti.tcpi_reordering, ti.tcpi_rcv_rtt, ti.tcpi_rcv_space, ti.tcpi_total_retrans,
               (unsigned long long) ti.tcpi_bytes_acked,
               (unsigned long long) ti.tcpi_bytes_received, ti.tcpi_segs_out, ti.tcpi_segs_in,
               ti.tcpi_notsent_bytes, ti.tcpi_min_rtt, ti.tcpi_data_segs_in,
               ti.tcpi_data_segs_out, ti.tcpi_delivered,
               (unsigned long long) ti.tcpi_bytes_sent,
               (unsigned long long) ti.tcpi_bytes_retrans, ti.tcpi_dsack_dups,
               ti.tcpi_reord_seen, ti.tcpi_rcv_ooopack, ti.tcpi_snd_wnd);
    }
  } else {
    errno = ENOSYS;
  }
  c->ret = r;
  c->err = r < 0 ? errno : 0;
}

static void *worker_main(void *arg) {
  struct worker *w = arg;
  pthread_mutex_lock(&w->lock);
  w->tid = (pid_t) syscall(SYS_gettid);
  pthread_cond_broadcast(&w->cond);
  for (;;) {
    while (!w->busy || w->done) pthread_cond_wait(&w->cond, &w->lock);
    pthread_mutex_unlock(&w->lock);
    __atomic_store_n(&w->in_kernel, 1, __ATOMIC_SEQ_CST);
    run_call(&w->call);
    long long t = now_ns();
    pthread_mutex_lock(&w->lock);
    w->in_kernel = 0;
    w->done = 1;
    if (w->reported_blocked) {
      /* The main thread has moved on: this thread reports the return itself. */
      emit("d %lld %lld %s %s", t, w->call.ret, errno_name(w->call.err), w->call.extra);
      w->busy = 0;
      w->done = 0;
      w->reported_blocked = 0;
    }
    pthread_cond_broadcast(&w->cond);
  }
  return NULL;
}

/* The scheduler state of a worker thread: 'R', 'S' (interruptible sleep: blocked), 'D', ... */
static char thread_state(struct worker *w) {
  char buf[512];
  ssize_t n = pread(w->stat_fd, buf, sizeof buf - 1, 0);
  if (n <= 0) return '?';
  buf[n] = 0;
  char *p = strrchr(buf, ')');
  return p && p[1] == ' ' ? p[2] : '?';
}

static void start_workers(void) {
  for (int i = 0; i < WORKERS; i++) {
    struct worker *w = &workers[i];
    pthread_mutex_init(&w->lock, NULL);
    pthread_cond_init(&w->cond, NULL);
    pthread_mutex_lock(&w->lock);
    pthread_create(&w->thread, NULL, worker_main, w);
    while (w->tid == 0) pthread_cond_wait(&w->cond, &w->lock);
    pthread_mutex_unlock(&w->lock);
    char path[64];
    snprintf(path, sizeof path, "/proc/self/task/%d/stat", (int) w->tid);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
      emit("x cannot open %s: %s", path, strerror(errno));
      exit(3);
    }
    w->stat_fd = fcntl(fd, F_DUPFD_CLOEXEC, HIGH_FD + 1 + i);
    close(fd);
  }
}

/* Calls that never sleep in the kernel run on the main thread: one wake-up less per call. */
static int never_blocks(const char *name) {
  static const char *const quick[] = {"socket", "bind", "listen", "setsockopt", "linger",
                                      "getsockopt", "fcntl", "ioctl", "shutdown", "tcpinfo", NULL};
  for (int i = 0; quick[i]; i++) {
    if (!strcmp(name, quick[i])) return 1;
  }
  return 0;
}

/* Runs a call on an idle worker; replies "r" when it returns or "b" when it blocks. */
static void dispatch(struct call *c) {
  if (never_blocks(c->name)) {
    run_call(c);
    emit("r %lld %s %s%s", c->ret, errno_name(c->err), c->extra, late_field());
    return;
  }
  struct worker *w = NULL;
  for (int i = 0; i < WORKERS && !w; i++) {
    pthread_mutex_lock(&workers[i].lock);
    if (!workers[i].busy) w = &workers[i];
    else pthread_mutex_unlock(&workers[i].lock);
  }
  if (!w) {
    emit("r -1 EBUSY too-many-blocked-calls");
    return;
  }
  w->call = *c;
  w->busy = 1;
  w->done = 0;
  w->in_kernel = 0;
  w->reported_blocked = 0;
  pthread_cond_broadcast(&w->cond);
  int sleeping = 0;
  for (;;) {
    if (w->done) {
      emit("r %lld %s %s%s", w->call.ret, errno_name(w->call.err), w->call.extra, late_field());
      w->busy = 0;
      w->done = 0;
      pthread_mutex_unlock(&w->lock);
      return;
    }
    /* Wait for the return (woken at once by the worker) or 100 us, then look at its state. */
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_nsec += 100000;
    if (until.tv_nsec >= 1000000000L) {
      until.tv_sec++;
      until.tv_nsec -= 1000000000L;
    }
    pthread_cond_timedwait(&w->cond, &w->lock, &until);
    if (w->done) continue;
    char st = __atomic_load_n(&w->in_kernel, __ATOMIC_SEQ_CST) ? thread_state(w) : 'R';
    sleeping = st == 'S' ? sleeping + 1 : 0;
    /* Two looks 100 us apart, both asleep in the kernel: the call is blocked. */
    if (sleeping >= 2) {
      w->reported_blocked = 1;
      emit("b%s", late_field());
      pthread_mutex_unlock(&w->lock);
      return;
    }
  }
}

/* ---- commands ---------------------------------------------------------------------------- */

static void do_sysctl(const char *path, const char *value) {
  /* Only paths under /proc/sys/net: every other sysctl is the whole machine's. */
  if (strncmp(path, "/proc/sys/net/", 14) != 0 || strstr(path, "..")) {
    emit("r -1 EPERM");
    return;
  }
  int fd = open(path, O_WRONLY | O_CLOEXEC);
  if (fd < 0) {
    emit("r -1 %s", errno_name(errno));
    return;
  }
  ssize_t n = write(fd, value, strlen(value));
  int e = errno;
  close(fd);
  if (n < 0) emit("r -1 %s", errno_name(e));
  else emit("r 0 -");
}

static int open_tun(const char *name) {
  int fd = open("/dev/net/tun", O_RDWR | O_CLOEXEC);
  if (fd < 0) return -1;
  struct ifreq ifr;
  memset(&ifr, 0, sizeof ifr);
  ifr.ifr_flags = IFF_TUN | IFF_NO_PI;
  strncpy(ifr.ifr_name, name, IFNAMSIZ - 1);
  if (ioctl(fd, TUNSETIFF, &ifr) < 0) {
    int e = errno;
    close(fd);
    errno = e;
    return -1;
  }
  int high = fcntl(fd, F_DUPFD_CLOEXEC, HIGH_FD);
  close(fd);
  return high;
}

static void quiet_ipv6(const char *path) {
  int fd = open(path, O_WRONLY | O_CLOEXEC);
  if (fd >= 0) {
    if (write(fd, "1", 1) < 0) { /* IPv6 may be absent: nothing to silence then */ }
    close(fd);
  }
}

static char line[MAX_LINE];
static unsigned char packet[65536];

int main(int argc, char **argv) {
  const char *ifname = argc > 1 ? argv[1] : "tun0";
  /* A write() after the peer's RST must return EPIPE to the script, as packetdrill reports it,
     not kill the helper: SIGPIPE is ignored, so the call fails with errno EPIPE instead. */
  signal(SIGPIPE, SIG_IGN);
  /* A fresh process: nothing open but stdin, stdout and stderr, so the first socket is 3. */
  for (int fd = 3; fd < 1024; fd++) close(fd);
  /* IPv4 only: without IPv6 the tun carries no router solicitations or MLD reports. */
  quiet_ipv6("/proc/sys/net/ipv6/conf/default/disable_ipv6");
  quiet_ipv6("/proc/sys/net/ipv6/conf/all/disable_ipv6");
  /* Wake up promptly on a busy machine: every thread made below inherits this nice value. The
     helper sleeps between commands, so it takes little from anyone. */
  if (setpriority(PRIO_PROCESS, 0, -10) < 0) { /* not allowed: run at the normal priority */ }
  tun_fd = open_tun(ifname);
  if (tun_fd < 0) {
    printf("x cannot open tun device %s: %s\n", ifname, strerror(errno));
    return 2;
  }
  tap_fd = open_tap(ifname); /* if it fails, packets are stamped when read from the tun */
  start_workers();
  pthread_t reader, tap;
  pthread_create(&reader, NULL, tun_reader, NULL);
  if (tap_fd >= 0) pthread_create(&tap, NULL, tap_reader, NULL);
  emit("hello 1 %s %s", ifname, tap_fd >= 0 ? "kernel-stamps" : "read-stamps");
  while (fgets(line, sizeof line, stdin)) {
    line[strcspn(line, "\n")] = 0;
    char *save = NULL;
    char *cmd = strtok_r(line, " ", &save);
    if (!cmd) continue;
    action_late = -1;
    if (!strcmp(cmd, "at")) {
      /* A timed action: this thread (niced, small) wakes more promptly than the JVM would. */
      char *t = strtok_r(NULL, " ", &save);
      long long when = t ? atoll(t) : 0;
      struct timespec ts = {(time_t) (when / 1000000000LL), (long) (when % 1000000000LL)};
      while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) == EINTR) {
      }
      action_late = now_ns() - when;
      cmd = strtok_r(NULL, " ", &save);
      if (!cmd) {
        emit("r -1 EINVAL");
        continue;
      }
    }
    if (!strcmp(cmd, "inject")) {
      char *hex = strtok_r(NULL, " ", &save);
      int n = hex ? unhex(hex, packet, sizeof packet) : -1;
      if (n < 0) {
        emit("r -1 EINVAL");
        continue;
      }
      ssize_t w = write(tun_fd, packet, (size_t) n);
      emit("r %lld %s %lld%s", (long long) w, errno_name(w < 0 ? errno : 0), now_ns(), late_field());
    } else if (!strcmp(cmd, "sysctl")) {
      char *path = strtok_r(NULL, " ", &save);
      char *value = save; /* the rest of the line: values may hold spaces */
      if (!path || !value) emit("r -1 EINVAL");
      else do_sysctl(path, value);
    } else if (!strcmp(cmd, "cong")) {
      char *fd = strtok_r(NULL, " ", &save);
      char *name = strtok_r(NULL, " ", &save);
      if (!fd || !name) {
        emit("r -1 EINVAL");
        continue;
      }
      int r = setsockopt(atoi(fd), IPPROTO_TCP, TCP_CONGESTION, name, (socklen_t) strlen(name));
      emit("r %d %s", r, errno_name(r < 0 ? errno : 0));
    } else if (!strcmp(cmd, "now")) {
      emit("r %lld -", now_ns());
    } else {
      struct call c;
      memset(&c, 0, sizeof c);
      strncpy(c.name, cmd, sizeof c.name - 1);
      char *tok;
      int bad = 0;
      while ((tok = strtok_r(NULL, " ", &save)) != NULL && c.argc < MAX_ARGS) {
        if (strchr(tok, '.')) {
          strncpy(c.text, tok, sizeof c.text - 1);
          continue;
        }
        char *end;
        c.a[c.argc++] = strtoll(tok, &end, 0);
        if (*end) bad = 1;
      }
      if (bad) emit("r -1 EINVAL");
      else dispatch(&c);
    }
  }
  return 0;
}
