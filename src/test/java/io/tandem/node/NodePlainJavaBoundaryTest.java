package io.tandem.node;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The agent and the SSH adapter both run this code, so it stays plain Java and leans on no other module. */
class NodePlainJavaBoundaryTest {

    private static final JavaClasses NODE = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("io.tandem.node");

    @Test
    void dependsOnNoFrameworkAndNoConsoleModule() {
        noClasses().that().resideInAPackage("io.tandem.node..").should().dependOnClassesThat()
                .resideInAnyPackage("org.springframework..", "jakarta..", "org.hibernate..", "org.apache.sshd..",
                        "io.tandem.fleet..", "io.tandem.access..", "io.tandem.monitor..", "io.tandem.agent..",
                        "io.tandem.operation..", "io.tandem.identity..", "io.tandem.console..")
                .check(NODE);
    }

    @Test
    void theConfigStoreDoesNotDependOnTheFactsLayer() {
        noClasses().that().resideInAPackage("io.tandem.node.config..").should().dependOnClassesThat()
                .resideInAPackage("io.tandem.node").check(NODE);
    }
}
