package io.tandem.pacemaker;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The agent, the SSH adapter and the console all use these parsers, so they stay plain Java: no Spring, no
 * persistence, no web, and neither module leans on the other or on the rest of Tandem.
 */
class PlainJavaBoundaryTest {

    private static final JavaClasses PARSERS = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.tandem.pacemaker", "io.tandem.drbd");

    @Test
    void parsersDependOnNoFramework() {
        noClasses().that().resideInAnyPackage("io.tandem.pacemaker..", "io.tandem.drbd..")
                .should().dependOnClassesThat().resideInAnyPackage("org.springframework..", "jakarta..",
                        "org.hibernate..", "org.apache.sshd..")
                .check(PARSERS);
    }

    @Test
    void parserModulesStandAlone() {
        noClasses().that().resideInAPackage("io.tandem.pacemaker..")
                .should().dependOnClassesThat().resideInAPackage("io.tandem.drbd..").check(PARSERS);
        noClasses().that().resideInAPackage("io.tandem.drbd..")
                .should().dependOnClassesThat().resideInAPackage("io.tandem.pacemaker..").check(PARSERS);
        noClasses().that().resideInAnyPackage("io.tandem.pacemaker..", "io.tandem.drbd..")
                .should().dependOnClassesThat().resideInAnyPackage("io.tandem.fleet..", "io.tandem.access..",
                        "io.tandem.monitor..", "io.tandem.agent..", "io.tandem.operation..")
                .check(PARSERS);
    }
}
