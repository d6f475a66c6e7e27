/** Bounded caches shared by the statement path; depends on nothing else in the engine. */
package dev.gatehouse.engine.cache;
