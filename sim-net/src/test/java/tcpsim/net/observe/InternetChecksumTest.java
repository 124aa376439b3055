package tcpsim.net.observe;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class InternetChecksumTest {

  @Test
  void rfc1071WorkedExampleSumsToDdf2() {
    // RFC 1071 §3: bytes 00 01 f2 03 f4 f5 f6 f7 sum to 0xddf2; the checksum is its complement.
    byte[] data = {0x00, 0x01, (byte) 0xf2, 0x03, (byte) 0xf4, (byte) 0xf5, (byte) 0xf6,
        (byte) 0xf7};
    assertEquals(0xffff - 0xddf2, InternetChecksum.of(data, 0, data.length));
  }

  @Test
  void oddLastBytePadsWithZeroOnTheRight() {
    // 0x0102 + 0x0300 = 0x0402 -> ~ = 0xfbfd
    byte[] data = {1, 2, 3};
    assertEquals(0xfbfd, InternetChecksum.of(data, 0, 3));
  }

  @Test
  void carriesWrapAroundEndToEnd() {
    // 0xffff + 0x0001 = 0x10000 -> folds to 0x0001 -> ~ = 0xfffe
    byte[] data = {(byte) 0xff, (byte) 0xff, 0x00, 0x01};
    assertEquals(0xfffe, InternetChecksum.of(data, 0, 4));
  }

  @Test
  void dataWithItsOwnChecksumVerifiesToZero() {
    byte[] data = {0x45, 0x00, 0x12, 0x34, 0, 0};
    int c = InternetChecksum.of(data, 0, 6);
    data[4] = (byte) (c >>> 8);
    data[5] = (byte) c;
    assertEquals(0, InternetChecksum.of(data, 0, 6));
  }
}
