/**
 * Fixtures for {@code dev.vfo.core.ArchitectureTest}: deliberately rule-breaking classes that
 * exist only in the test tree, to prove the architecture rule can fail.
 */
package dev.vfo.core.archfixture;
