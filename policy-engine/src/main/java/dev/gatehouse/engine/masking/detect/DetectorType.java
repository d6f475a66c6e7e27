package dev.gatehouse.engine.masking.detect;

/** Content detectors that catch sensitive values lineage cannot see. */
public enum DetectorType {
  CARD_NUMBER,
  EMAIL,
  US_SSN,
  IBAN,
  PHONE,
  SECRET
}
