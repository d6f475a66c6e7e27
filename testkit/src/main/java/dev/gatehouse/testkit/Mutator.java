package dev.gatehouse.testkit;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * A structured mutator for bounded fuzzing without a coverage-guided engine (Jazzer is not on Maven
 * Central's mirror here): it starts from valid seeds and applies the mutations that find parser
 * bugs — bit flips, interesting bytes, 32-bit length words set to edge values, truncation,
 * duplicated and spliced ranges, and inserted tokens the target treats specially. Runs are
 * reproducible from the seed the failure message prints.
 */
public final class Mutator {

  /** System property: seconds per fuzz target (default 5, so the suite stays short). */
  public static final String SECONDS = "gatehouse.fuzz.seconds";

  /** System property: the random seed, to replay a run. */
  public static final String SEED = "gatehouse.fuzz.seed";

  private static final int[] EDGE_INTS = {
    0,
    1,
    3,
    4,
    5,
    8,
    -1,
    -2,
    0x7f,
    0x80,
    0xff,
    0x7fff,
    0xffff,
    10_000,
    10_001,
    65_535,
    65_536,
    Integer.MAX_VALUE,
    Integer.MIN_VALUE,
    64 << 20
  };
  private static final byte[] EDGE_BYTES = {0, 1, 0x7f, (byte) 0x80, (byte) 0xff, '\'', '"', '$'};

  private final List<byte[]> seeds;
  private final List<byte[]> tokens;
  private final SplittableRandom random;

  /**
   * @param seeds valid inputs to start from
   * @param tokens fragments the target treats specially, inserted whole
   */
  public Mutator(List<byte[]> seeds, List<byte[]> tokens, long seed) {
    this.seeds = List.copyOf(seeds);
    this.tokens = List.copyOf(tokens);
    this.random = new SplittableRandom(seed);
  }

  /** The seed of the normal, short run: the suite replays the same inputs every time. */
  public static final long SHORT_RUN_SEED = 20_261_205L;

  /**
   * The seed of this run: {@value #SEED} if set (a number, or {@code clock} for a new one); else,
   * in a long run ({@value #SECONDS} set), the clock, so each long run explores new inputs; else
   * {@link #SHORT_RUN_SEED}, so the normal suite cannot fail on an input nobody has seen before. An
   * input a long run finds becomes a fixed case of its test.
   */
  public static long seed() {
    String fixed = System.getProperty(SEED);
    if (fixed != null) {
      return "clock".equals(fixed) ? System.nanoTime() : Long.parseLong(fixed);
    }
    return System.getProperty(SECONDS) != null ? System.nanoTime() : SHORT_RUN_SEED;
  }

  /** Milliseconds to spend on one target: {@value #SECONDS} seconds, default {@code dflt}. */
  public static long budgetMillis(int dflt) {
    return Long.getLong(SECONDS, dflt) * 1000;
  }

  /** The next input: a seed with one to four mutations. */
  public byte[] next() {
    byte[] input = seeds.get(random.nextInt(seeds.size())).clone();
    int rounds = 1 + random.nextInt(4);
    for (int i = 0; i < rounds; i++) {
      input = mutate(input);
    }
    return input;
  }

  private byte[] mutate(byte[] in) {
    int n = in.length;
    switch (random.nextInt(8)) {
      case 0 -> {
        if (n > 0) {
          in[random.nextInt(n)] ^= (byte) (1 << random.nextInt(8));
        }
      }
      case 1 -> {
        if (n > 0) {
          in[random.nextInt(n)] = EDGE_BYTES[random.nextInt(EDGE_BYTES.length)];
        }
      }
      case 2 -> {
        if (n >= 4) {
          int at = random.nextInt(n - 3);
          ByteBuffer.wrap(in).putInt(at, EDGE_INTS[random.nextInt(EDGE_INTS.length)]);
        }
      }
      case 3 -> {
        return Arrays.copyOf(in, n == 0 ? 0 : random.nextInt(n));
      }
      case 4 -> {
        return splice(in, seeds.get(random.nextInt(seeds.size())));
      }
      case 5 -> {
        if (n > 0) {
          int from = random.nextInt(n);
          int len = 1 + random.nextInt(Math.min(64, n - from));
          return insert(in, random.nextInt(n + 1), Arrays.copyOfRange(in, from, from + len));
        }
      }
      case 6 -> {
        if (!tokens.isEmpty()) {
          byte[] t = tokens.get(random.nextInt(tokens.size()));
          int times = random.nextInt(10) == 0 ? 1 + random.nextInt(300) : 1;
          byte[] run = new byte[t.length * times];
          for (int i = 0; i < times; i++) {
            System.arraycopy(t, 0, run, i * t.length, t.length);
          }
          return insert(in, random.nextInt(n + 1), run);
        }
      }
      default -> {
        if (n > 1) {
          int from = random.nextInt(n);
          int to = Math.min(n, from + 1 + random.nextInt(16));
          byte[] out = new byte[n - (to - from)];
          System.arraycopy(in, 0, out, 0, from);
          System.arraycopy(in, to, out, from, n - to);
          return out;
        }
      }
    }
    return in;
  }

  private byte[] splice(byte[] a, byte[] b) {
    int cut = a.length == 0 ? 0 : random.nextInt(a.length);
    int from = b.length == 0 ? 0 : random.nextInt(b.length);
    byte[] out = Arrays.copyOf(a, cut + (b.length - from));
    System.arraycopy(b, from, out, cut, b.length - from);
    return out;
  }

  private static byte[] insert(byte[] in, int at, byte[] what) {
    byte[] out = new byte[in.length + what.length];
    System.arraycopy(in, 0, out, 0, at);
    System.arraycopy(what, 0, out, at, what.length);
    System.arraycopy(in, at, out, at + what.length, in.length - at);
    return out;
  }

  /** A random int below {@code bound}, from this run's generator (chunking, choices). */
  public int nextInt(int bound) {
    return random.nextInt(bound);
  }

  /**
   * Runs {@code target} on mutated inputs until {@code millis} have passed; an exception or an
   * input that takes longer than {@code slowMillis} fails with the input in hex and the seed to
   * replay. Returns the number of inputs run.
   */
  public long run(long millis, long slowMillis, long runSeed, Consumer<byte[]> target) {
    long end = System.nanoTime() + millis * 1_000_000;
    long count = 0;
    while (System.nanoTime() < end) {
      byte[] input = next();
      long start = System.nanoTime();
      try {
        target.accept(input);
      } catch (RuntimeException | AssertionError e) {
        throw new AssertionError(
            "fuzz input "
                + count
                + " (seed "
                + runSeed
                + ") failed: "
                + e
                + "\ninput hex: "
                + HexFormat.of().formatHex(input),
            e);
      }
      long took = (System.nanoTime() - start) / 1_000_000;
      if (took > slowMillis) {
        throw new AssertionError(
            "fuzz input took "
                + took
                + " ms (seed "
                + runSeed
                + ")\ninput hex: "
                + HexFormat.of().formatHex(input));
      }
      count++;
    }
    return count;
  }
}
