package dev.gatehouse.engine.masking.catalog;

/** The catalog of a database could not be read; masking then fails closed. */
public class CatalogException extends RuntimeException {
  public CatalogException(String message, Throwable cause) {
    super(message, cause);
  }
}
