package io.dcbstore.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;
import io.dcbstore.ApiClassUsingTheEngine;
import io.dcbstore.Event;
import io.dcbstore.architecture.cycle.a.First;
import io.dcbstore.architecture.cycle.b.Second;
import io.dcbstore.embedded.EmbeddedCluster;
import io.dcbstore.internal.Json;
import io.dcbstore.library.LibraryCommands;
import io.dcbstore.library.fixture.DomainReachingIntoInternals;
import io.dcbstore.postgres.PostgresEventStore;
import io.dcbstore.postgres.internal.ReadRouter;
import io.dcbstore.simulator.Main;
import io.dcbstore.testkit.EventStoreContract;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The rules of our architecture that used to live only in people's heads, checked on the compiled
 * main code of every module. Each rule is also shown to fail on a class that breaks it.
 */
class ArchitectureTest {
    private static final List<Class<?>> ONE_CLASS_PER_MODULE = List.of(
            Event.class,
            EmbeddedCluster.class,
            EventStoreContract.class,
            PostgresEventStore.class,
            LibraryCommands.class,
            Main.class);

    private static final JavaClasses MAIN_CODE = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackagesOf(ONE_CLASS_PER_MODULE.toArray(Class<?>[]::new));

    /** dcb-api: what applications and engines program against. */
    private static final String[] API = {"io.dcbstore", "io.dcbstore.internal"};

    private static final ArchRule THE_API_DEPENDS_ON_NOTHING_ELSE_OF_OURS = classes()
            .that()
            .resideInAnyPackage(API)
            .should()
            .onlyDependOnClassesThat()
            .resideInAnyPackage("java..", "com.fasterxml.jackson..", "io.dcbstore", "io.dcbstore.internal")
            .because("the API is engine-neutral: no engine, test kit, example or tool may leak into it");

    private static final ArchRule THE_ENGINE_INTERNALS_STAY_IN_THE_ENGINE = classes()
            .that()
            .resideInAPackage("io.dcbstore.postgres.internal")
            .should()
            .onlyHaveDependentClassesThat()
            .resideInAPackage("io.dcbstore.postgres..")
            .because("users and other modules program against io.dcbstore.postgres, never its implementation");

    private static final ArchRule THE_DOMAIN_INTERNALS_STAY_IN_THE_DOMAIN = classes()
            .that()
            .resideInAPackage("io.dcbstore.library.internal")
            .should()
            .onlyHaveDependentClassesThat()
            .resideInAPackage("io.dcbstore.library..")
            .because("the simulator and other users drive the library through its public commands and queries");

    private static final ArchRule THE_API_INTERNALS_ARE_SHARED_ONLY_WITH_THE_ENGINE = classes()
            .that()
            .resideInAPackage("io.dcbstore.internal")
            .should()
            .onlyHaveDependentClassesThat()
            .resideInAnyPackage("io.dcbstore", "io.dcbstore.internal", "io.dcbstore.postgres.internal")
            .because(
                    "the engine shares the API's JSON rules (one canonical form for payloads and filters), like a JPMS"
                            + " qualified export 'exports io.dcbstore.internal to io.dcbstore.postgres'; nobody else may use them");

    private static final ArchRule THE_DOMAIN_USES_ONLY_THE_API = classes()
            .that()
            .resideInAPackage("io.dcbstore.library..")
            .should()
            .onlyDependOnClassesThat()
            .resideInAnyPackage("java..", "com.fasterxml.jackson..", "io.dcbstore", "io.dcbstore.library..")
            .because("the example domain must run on any engine that implements the API");

    private static final ArchRule NO_CYCLES_BETWEEN_PACKAGES =
            slices().assignedFrom(new PackageWithItsInternals()).should().beFreeOfCycles();

    @Test
    void everyModuleIsImported() {
        for (Class<?> anchor : ONE_CLASS_PER_MODULE) {
            assertTrue(
                    MAIN_CODE.stream()
                            .anyMatch(javaClass -> javaClass.getPackageName().equals(anchor.getPackageName())),
                    "no main class imported from the package of " + anchor.getName());
        }
    }

    @Test
    void theApiDependsOnNothingElseOfOurs() {
        THE_API_DEPENDS_ON_NOTHING_ELSE_OF_OURS.check(MAIN_CODE);
    }

    @Test
    void nothingOutsideAModuleUsesItsInternalPackages() {
        THE_ENGINE_INTERNALS_STAY_IN_THE_ENGINE.check(MAIN_CODE);
        THE_DOMAIN_INTERNALS_STAY_IN_THE_DOMAIN.check(MAIN_CODE);
        THE_API_INTERNALS_ARE_SHARED_ONLY_WITH_THE_ENGINE.check(MAIN_CODE);
    }

    @Test
    void theLibraryDomainUsesOnlyTheApi() {
        THE_DOMAIN_USES_ONLY_THE_API.check(MAIN_CODE);
    }

    @Test
    void noPackagesDependOnEachOtherInACycle() {
        NO_CYCLES_BETWEEN_PACKAGES.check(MAIN_CODE);
    }

    @Test
    void noMainSourceFileIsLongerThan400Lines() throws IOException {
        Path root = Path.of("..").toAbsolutePath().normalize();
        List<Path> sources;
        try (Stream<Path> files = Files.walk(root, 12)) {
            sources = files.filter(path -> path.toString().endsWith(".java"))
                    .filter(path -> root.relativize(path).toString().contains("src/main/java/"))
                    .filter(path -> !root.relativize(path).startsWith("target"))
                    .toList();
        }
        assertTrue(sources.size() > 100, "found only " + sources.size() + " main source files under " + root);
        List<String> tooLong = sources.stream()
                .filter(path -> lines(path) > 400)
                .map(path -> root.relativize(path) + ": " + lines(path) + " lines")
                .toList();
        assertTrue(tooLong.isEmpty(), "one job per class, small enough to read in one sitting: " + tooLong);
    }

    private static long lines(Path file) {
        try (Stream<String> lines = Files.lines(file)) {
            return lines.count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void theRulesFailOnClassesThatBreakThem() {
        JavaClasses domainUsingInternals =
                new ClassFileImporter().importClasses(DomainReachingIntoInternals.class, ReadRouter.class, Json.class);
        assertThrows(AssertionError.class, () -> THE_DOMAIN_USES_ONLY_THE_API.check(domainUsingInternals));
        assertThrows(AssertionError.class, () -> THE_ENGINE_INTERNALS_STAY_IN_THE_ENGINE.check(domainUsingInternals));
        assertThrows(
                AssertionError.class,
                () -> THE_API_INTERNALS_ARE_SHARED_ONLY_WITH_THE_ENGINE.check(domainUsingInternals));
        JavaClasses apiUsingTheEngine =
                new ClassFileImporter().importClasses(ApiClassUsingTheEngine.class, PostgresEventStore.class);
        assertThrows(AssertionError.class, () -> THE_API_DEPENDS_ON_NOTHING_ELSE_OF_OURS.check(apiUsingTheEngine));
        JavaClasses cycle = new ClassFileImporter().importClasses(First.class, Second.class);
        assertThrows(AssertionError.class, () -> NO_CYCLES_BETWEEN_PACKAGES.check(cycle));
    }

    /**
     * One slice per package, a package's {@code internal} package counted with it: an API package
     * and its implementation may refer to each other (records in, engine out); anything else that
     * goes round in a circle is a cycle.
     */
    private static final class PackageWithItsInternals implements SliceAssignment {
        @Override
        public SliceIdentifier getIdentifierOf(JavaClass javaClass) {
            String name = javaClass.getPackageName();
            if (!name.startsWith("io.dcbstore")) {
                return SliceIdentifier.ignore();
            }
            return SliceIdentifier.of(
                    name.endsWith(".internal") ? name.substring(0, name.length() - ".internal".length()) : name);
        }

        @Override
        public String getDescription() {
            return "our packages, each with its internal package";
        }
    }
}
