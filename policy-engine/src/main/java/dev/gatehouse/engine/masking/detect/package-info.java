/** Content detectors: sensitive values found by their shape, wherever lineage could not see. */
package dev.gatehouse.engine.masking.detect;
