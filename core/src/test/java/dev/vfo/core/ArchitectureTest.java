package dev.vfo.core;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import dev.vfo.core.archfixture.LeaksAssertJ;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** core is the functional core: its main code may use the JDK and itself, nothing else. */
class ArchitectureTest {

    static final ArchRule CORE_DEPENDS_ON_THE_JDK_ONLY = classes()
            .that().resideInAPackage("dev.vfo.core..")
            .should().onlyDependOnClassesThat().resideInAnyPackage("java..", "dev.vfo.core..")
            .because("core is the pure functional core (CONTRIBUTING.md): it may use only the JDK's java.* classes."
                    + " Move code that needs a library (Kafka, Avro, JNA, logging, ...) to an adapter module"
                    + " (schemas, agent, coordinator, deploy) and hand core plain values instead");

    /**
     * core's compiled main code. Importing the directory instead of scanning the classpath for the
     * package saves several seconds a run; DO_NOT_INCLUDE_TESTS still guards against test classes.
     */
    private static final Path MAIN_CLASSES =
            Path.of(System.getProperty("basedir", System.getProperty("user.dir")), "target", "classes");

    @Test
    void coreMainCodeDependsOnlyOnTheJdk() {
        JavaClasses main = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPath(MAIN_CLASSES);

        // Not vacuous: the packages with real code were imported, the test fixture was not.
        assertThat(main.contain("dev.vfo.core.vfio.MigrationFsm")).isTrue();
        assertThat(main.contain("dev.vfo.core.vfio.abi.FeatureRequest")).isTrue();
        assertThat(main.contain("dev.vfo.core.protocol.AgentEvent")).isTrue();
        assertThat(main.contain(LeaksAssertJ.class)).isFalse();

        CORE_DEPENDS_ON_THE_JDK_ONLY.check(main);
    }

    @Test
    void theRuleCatchesACoreClassThatUsesALibrary() {
        JavaClasses fixture = new ClassFileImporter().importClasses(LeaksAssertJ.class);

        EvaluationResult result = CORE_DEPENDS_ON_THE_JDK_ONLY.evaluate(fixture);

        assertThat(result.hasViolation()).isTrue();
        assertThat(result.getFailureReport().getDetails())
                .anyMatch(d -> d.contains(LeaksAssertJ.class.getName()) && d.contains("org.assertj"));
        assertThatThrownBy(() -> CORE_DEPENDS_ON_THE_JDK_ONLY.check(fixture))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("Move code that needs a library")
                .hasMessageContaining("org.assertj.core.api.Assertions");
    }
}
