package dev.vfo.core.archfixture;

import org.assertj.core.api.AbstractStringAssert;
import org.assertj.core.api.Assertions;

/**
 * Test fixture only: a class inside {@code dev.vfo.core..} that uses a library, so
 * {@code ArchitectureTest} can show its rule fails on such a class. It lives in the test tree,
 * which the rule's main-code import leaves out.
 */
public final class LeaksAssertJ {
    private LeaksAssertJ() {}

    public static AbstractStringAssert<?> check(String value) {
        return Assertions.assertThat(value);
    }
}
