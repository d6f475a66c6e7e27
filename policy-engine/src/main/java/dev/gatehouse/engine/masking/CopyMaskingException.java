package dev.gatehouse.engine.masking;

/** COPY data that cannot be masked with confidence; the caller must abort the COPY. */
public class CopyMaskingException extends RuntimeException {
  public CopyMaskingException(String message) {
    super(message);
  }
}
