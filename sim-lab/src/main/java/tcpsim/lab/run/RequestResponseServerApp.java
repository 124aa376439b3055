package tcpsim.lab.run;

import static tcpsim.net.socket.PollEvents.EPOLLERR;
import static tcpsim.net.socket.PollEvents.EPOLLHUP;
import static tcpsim.net.socket.PollEvents.EPOLLIN;
import static tcpsim.net.socket.PollEvents.EPOLLRDHUP;

import tcpsim.lab.experiment.App;
import tcpsim.lab.experiment.Workload;
import tcpsim.net.socket.SocketApi;

/**
 * request-response-server: for each connection, reads a request, waits the service time, writes
 * the answer, and again, until the client closes (then it closes too) or, with {@code
 * close_after_requests}, until it has answered that many (then it closes first). With {@code
 * read_request: false} it answers as soon as the request starts arriving and closes without
 * reading it, so close(2) finds unread data and sends RST (tcp_close, RFC 2525 section 2.17).
 * Sizes come from the client's side of the exchange ({@link RunContext#exchange}).
 */
final class RequestResponseServerApp extends ServerProcess {
  private final Workload.RequestResponseServer w;

  RequestResponseServerApp(RunContext ctx, App app, SocketApi api, Recorder.AppTally tally,
      Workload.RequestResponseServer w) {
    super(ctx, app, api, tally, w.port(), w.backlog(), w.acceptRate().map(r -> r.intervalNanos()).orElse(0L));
    this.w = w;
  }

  @Override
  void serve(Conn c) {
    tcpsim.net.tcp.TcpConnection s = api.socketOf(c.fd);
    RunContext.Exchange x = ctx.exchange(app.name(), s.remoteAddress());
    if (ctx.contentTagged()) {
      int k = ctx.incarnation(s.remoteAddress(), s.remotePort(), s.localAddress(), s.localPort());
      c.tag = k == 0 ? 0 : RunContext.tag(k);
    }
    if (!w.readRequest()) {
      api.onReady(c.fd, EPOLLIN | EPOLLRDHUP | EPOLLERR | EPOLLHUP, mask -> {
        if (stopped || c.closed) {
          return;
        }
        after(w.serviceTimeNanos(), () -> sendAll(c, x.responseBytes(), ok -> close(c)));
      });
      return;
    }
    nextRequest(c, x, 0);
  }

  private void nextRequest(Conn c, RunContext.Exchange x, int answered) {
    if (x.requestBytes() == 0) {
      // No request to wait for: answer once (if there is an answer), then wait for the close.
      if (answered == 0 && x.responseBytes() > 0) {
        after(w.serviceTimeNanos(), () -> answer(c, x, answered));
      } else {
        readToEnd(c, outcome -> close(c));
      }
      return;
    }
    readExactly(c, x.requestBytes(), outcome -> {
      if (outcome != ReadOutcome.DONE) {
        close(c);
        return;
      }
      after(w.serviceTimeNanos(), () -> answer(c, x, answered));
    });
  }

  private void answer(Conn c, RunContext.Exchange x, int answeredBefore) {
    if (c.closed) {
      return;
    }
    sendAll(c, x.responseBytes(), ok -> {
      if (!ok) {
        close(c);
        return;
      }
      int answered = answeredBefore + 1;
      if (w.closeAfterRequests() > 0 && answered >= w.closeAfterRequests()) {
        close(c);
      } else {
        nextRequest(c, x, answered);
      }
    });
  }
}
