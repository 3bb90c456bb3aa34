package org.optbench.cli;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The shape of the code, read from its class files: no package of optbench depends on itself
 * through others (modules only point one way, and no two packages point at each other), the
 * class pairs that once did no longer reach each other, and the server reaches the sweep layer
 * through a handful of its types (the coordinator, its failures, and the records it returns).
 */
class ArchitectureTest {

    private static JavaClasses classes;

    @BeforeAll
    static void read() {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .withImportOption(location -> !location.contains("-tests.jar"))   // other modules' test jars
                .importPackages("org.optbench");
    }

    @Test
    void noPackageCycles() {
        slices().matching("org.optbench.(**)").should().beFreeOfCycles().check(classes);
    }

    @Test
    void theCyclesOfOldAreGone() {
        for (List<String> pair : List.of(
                List.of("org.optbench.sweep.AnalysisSpecParser", "org.optbench.sweep.SweepSpecParser"),
                List.of("org.optbench.sweep.SweepSpec", "org.optbench.sweep.SweepExpander"),
                List.of("org.optbench.cli.WorkerLaunch", "org.optbench.cli.Main"),
                List.of("org.optbench.sweep.report.TrialTable", "org.optbench.sweep.report.ReportWriter"))) {
            noClasses().that().haveFullyQualifiedName(pair.get(0)).should().dependOnClassesThat()
                    .haveFullyQualifiedName(pair.get(1)).check(classes);
        }
    }

    @Test
    void theServerUsesAHandfulOfSweepTypes() {
        java.util.Set<String> used = new java.util.TreeSet<>();
        classes.stream().filter(c -> c.getPackageName().startsWith("org.optbench.server")).forEach(c ->
                c.getDirectDependenciesFromSelf().forEach(d -> {
                    com.tngtech.archunit.core.domain.JavaClass target = d.getTargetClass().getBaseComponentType();
                    while (target.getEnclosingClass().isPresent()) {
                        target = target.getEnclosingClass().get();
                    }
                    if (target.getPackageName().startsWith("org.optbench.sweep")) {
                        used.add(target.getName());
                    }
                }));
        org.junit.jupiter.api.Assertions.assertTrue(used.size() <= 10, "the server uses " + used.size()
                + " sweep types (nested ones counted as their outer type): " + used);
    }
}
