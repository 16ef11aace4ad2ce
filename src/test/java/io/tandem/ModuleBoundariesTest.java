package io.tandem;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import org.junit.jupiter.api.Test;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;

/**
 * Keeps the package-per-module design true: modules depend on each other without cycles, the
 * parsers and node facts shared by agent and console stay plain Java, the agent and lab never
 * reach into the console's database-backed modules, and web/API adapters stay leaves.
 */
class ModuleBoundariesTest {

    private static final JavaClasses TANDEM = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.tandem");

    private static final String[] PLAIN_MODULES = {
            "io.tandem.netflow..", "io.tandem.pacemaker..", "io.tandem.drbd..", "io.tandem.node.."};
    private static final String[] CONSOLE_MODULES = {
            "io.tandem.fleet..", "io.tandem.identity..", "io.tandem.audit..", "io.tandem.datastore..",
            "io.tandem.console..", "io.tandem.monitor..", "io.tandem.operation..", "io.tandem.templates..", "io.tandem.demo..", "io.tandem.alerts..", "io.tandem.metrics..", "io.tandem.instances..",
            "io.tandem.setup.."};

    @Test
    void modulesFormNoCycles() {
        slices().matching("io.tandem.(*)..").should().beFreeOfCycles().check(TANDEM);
    }

    @Test
    void sharedParsersAndNodeFactsArePlainJava() {
        noClasses().that().resideInAnyPackage(PLAIN_MODULES)
                .should().dependOnClassesThat().resideInAnyPackage("org.springframework..", "jakarta..", "org.hibernate..",
                        "org.apache.sshd..", "io.tandem.access..", "io.tandem.agent..")
                .check(TANDEM);
    }

    @Test
    void theConfigStoreStandsApartFromTheFactsLayer() {
        noClasses().that().resideInAPackage("io.tandem.node.config..")
                .should().dependOnClassesThat().resideInAPackage("io.tandem.node").check(TANDEM);
    }

    @Test
    void parserModulesStandAlone() {
        noClasses().that().resideInAPackage("io.tandem.pacemaker..")
                .should().dependOnClassesThat().resideInAnyPackage("io.tandem.drbd..", "io.tandem.netflow..").check(TANDEM);
        noClasses().that().resideInAPackage("io.tandem.drbd..")
                .should().dependOnClassesThat().resideInAnyPackage("io.tandem.pacemaker..", "io.tandem.netflow..").check(TANDEM);
        noClasses().that().resideInAnyPackage(PLAIN_MODULES)
                .should().dependOnClassesThat().resideInAnyPackage(CONSOLE_MODULES).check(TANDEM);
    }

    @Test
    void theAgentAndTheLabNeverUseTheConsolesDatabaseModules() {
        noClasses().that().resideInAnyPackage("io.tandem.agent..", "io.tandem.lab..")
                .should().dependOnClassesThat().resideInAnyPackage(CONSOLE_MODULES).check(TANDEM);
    }

    @Test
    void webAndApiAdaptersAreLeaves() {
        noClasses().that().resideOutsideOfPackages("..web..", "..api..")
                .should().dependOnClassesThat().resideInAnyPackage("io.tandem.*.web..", "io.tandem.*.api..")
                .check(TANDEM);
    }
}
