package dev.llmix.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The package rules of docs/architecture.md, checked on the compiled classes of {@code llmix-core}. */
class ArchitectureTest {

    private static JavaClasses core;

    @BeforeAll
    static void importCore() {
        core = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
                .importPackages("dev.llmix");
    }

    @Test
    void noPackageCycles() {
        slices().matching("dev.llmix.(**)").should().beFreeOfCycles().check(core);
    }

    @Test
    void spiDependsOnNoEngine() {
        noClasses().that().resideInAPackage("dev.llmix.spi..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.llmix.pipeline..", "dev.llmix.cache..",
                        "dev.llmix.resilience..", "dev.llmix.limiter..", "dev.llmix.provider..",
                        "dev.llmix.client..")
                .check(core);
    }

    @Test
    void coreNeverDependsOnSpring() {
        noClasses().that().resideInAPackage("dev.llmix..")
                .should().dependOnClassesThat().resideInAPackage("org.springframework..")
                .check(core);
    }
}
