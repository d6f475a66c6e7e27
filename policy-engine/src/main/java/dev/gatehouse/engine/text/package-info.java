/**
 * Text a client or the data wrote, made safe to show a person or a model; depends on nothing else
 * in the engine.
 */
package dev.gatehouse.engine.text;
