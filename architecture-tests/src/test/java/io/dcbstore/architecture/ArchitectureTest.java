package io.dcbstore.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaCodeUnit;
import com.tngtech.archunit.core.domain.JavaField;
import com.tngtech.archunit.core.domain.JavaMember;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.domain.JavaType;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;
import io.dcbstore.ApiClassExposingJackson;
import io.dcbstore.ApiClassUsingTheEngine;
import io.dcbstore.Event;
import io.dcbstore.architecture.cycle.a.First;
import io.dcbstore.architecture.cycle.b.Second;
import io.dcbstore.embedded.EmbeddedCluster;
import io.dcbstore.internal.Json;
import io.dcbstore.library.LibraryCommands;
import io.dcbstore.library.fixture.DomainReachingIntoInternals;
import io.dcbstore.library.internal.LayeredMap;
import io.dcbstore.postgres.PostgresEventStore;
import io.dcbstore.postgres.internal.ReadRouter;
import io.dcbstore.simulator.Main;
import io.dcbstore.simulator.fixture.ToolReachingIntoTheDomain;
import io.dcbstore.spring.DcbAutoConfiguration;
import io.dcbstore.testkit.EventStoreContract;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.jspecify.annotations.NullMarked;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * The rules of our architecture that used to live only in people's heads, checked on the compiled
 * main code of every module. Each rule is also shown to fail, naming the offending class, on
 * classes that break it.
 */
class ArchitectureTest {
    /** The module each package belongs to: the API owns exactly its two packages, the others a prefix. */
    private static final Map<String, String> MODULE_BY_PACKAGE_PREFIX = Map.of(
            "io.dcbstore.postgres", "dcb-postgres",
            "io.dcbstore.embedded", "dcb-embedded",
            "io.dcbstore.testkit", "dcb-testkit",
            "io.dcbstore.library", "library-domain",
            "io.dcbstore.spring", "dcb-spring-boot-starter",
            "io.dcbstore.simulator", "simulator");

    private static final List<Class<?>> ONE_CLASS_PER_MODULE = List.of(
            Event.class,
            EmbeddedCluster.class,
            EventStoreContract.class,
            PostgresEventStore.class,
            LibraryCommands.class,
            DcbAutoConfiguration.class,
            Main.class);

    private static final JavaClasses MAIN_CODE = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackagesOf(ONE_CLASS_PER_MODULE.toArray(Class<?>[]::new));

    private static final ArchRule THE_API_DEPENDS_ON_NOTHING_ELSE_OF_OURS = classes()
            .that()
            .resideInAnyPackage("io.dcbstore", "io.dcbstore.internal")
            .should()
            .onlyDependOnClassesThat()
            .resideInAnyPackage(
                    "java..",
                    "com.fasterxml.jackson..",
                    "org.jspecify.annotations..",
                    "io.dcbstore",
                    "io.dcbstore.internal")
            .because("the API is engine-neutral: no engine, test kit, example or tool may leak into it");

    private static final ArchRule THE_API_EXPOSES_NO_JACKSON_TYPE = classes()
            .that()
            .resideInAPackage("io.dcbstore")
            .and()
            .arePublic()
            .should(exposeNoTypeOf("com.fasterxml."))
            .because("Jackson is an implementation detail: users bring their own JSON library and version,"
                    + " and payloads cross the API as JSON text");

    private static final ArchRule NO_MODULE_USES_ANOTHER_MODULES_INTERNALS = classes()
            .that()
            .resideInAPackage("..internal..")
            .should(beUsedOnlyFromTheirOwnModule())
            .because("users and other modules program against a module's API package, never its implementation;"
                    + " the one exception: the engine shares the API's JSON rules (one canonical form for payloads"
                    + " and filters), as a JPMS 'exports io.dcbstore.internal to io.dcbstore.postgres' would allow");

    private static final ArchRule THE_DOMAIN_USES_ONLY_THE_API = classes()
            .that()
            .resideInAPackage("io.dcbstore.library..")
            .should()
            .onlyDependOnClassesThat()
            .resideInAnyPackage(
                    "java..",
                    "com.fasterxml.jackson..",
                    "org.slf4j..",
                    "io.micrometer..",
                    "io.dcbstore",
                    "io.dcbstore.library..")
            .because("the example domain must run on any engine that implements the API");

    private static final ArchRule NO_CYCLES_BETWEEN_PACKAGES =
            slices().assignedFrom(new PackageWithItsInternals()).should().beFreeOfCycles();

    @Test
    void everyModuleIsImportedAndEveryPackageBelongsToAModule() {
        for (Class<?> anchor : ONE_CLASS_PER_MODULE) {
            assertTrue(
                    MAIN_CODE.stream()
                            .anyMatch(javaClass -> javaClass.getPackageName().equals(anchor.getPackageName())),
                    "no main class imported from the package of " + anchor.getName());
        }
        List<String> homeless = MAIN_CODE.stream()
                .map(JavaClass::getPackageName)
                .filter(name -> moduleOf(name) == null)
                .distinct()
                .toList();
        assertEquals(List.of(), homeless, "packages that belong to no module");
    }

    @Test
    void theApiDependsOnNothingElseOfOurs() {
        THE_API_DEPENDS_ON_NOTHING_ELSE_OF_OURS.check(MAIN_CODE);
    }

    @Test
    void theApiExposesNoJacksonTypeInAPublicSignature() {
        THE_API_EXPOSES_NO_JACKSON_TYPE.check(MAIN_CODE);
    }

    @Test
    void thePublishedApiPackagesDeclareTheirNullnessWithJSpecify() {
        for (Class<?> api : List.of(Event.class, PostgresEventStore.class)) {
            assertTrue(
                    api.getPackage().isAnnotationPresent(NullMarked.class),
                    api.getPackageName() + " should be @NullMarked, with @Nullable where null is allowed");
        }
    }

    @Test
    void nothingOutsideAModuleUsesItsInternalPackages() {
        NO_MODULE_USES_ANOTHER_MODULES_INTERNALS.check(MAIN_CODE);
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
                    .toList();
        }
        assertTrue(sources.size() > 100, "found only " + sources.size() + " main source files under " + root);
        List<String> tooLong = sources.stream()
                .filter(path -> lines(path) > 400)
                .map(path -> root.relativize(path) + ": " + lines(path) + " lines")
                .toList();
        assertTrue(tooLong.isEmpty(), "one job per class, small enough to read in one sitting: " + tooLong);
    }

    @Test
    void theRulesFailOnClassesThatBreakThem() {
        JavaClasses domainUsingInternals =
                new ClassFileImporter().importClasses(DomainReachingIntoInternals.class, ReadRouter.class, Json.class);
        assertFailsNaming(
                DomainReachingIntoInternals.class, () -> THE_DOMAIN_USES_ONLY_THE_API.check(domainUsingInternals));
        assertFailsNaming(
                DomainReachingIntoInternals.class,
                () -> NO_MODULE_USES_ANOTHER_MODULES_INTERNALS.check(domainUsingInternals));
        JavaClasses toolUsingTheDomainsInternals =
                new ClassFileImporter().importClasses(ToolReachingIntoTheDomain.class, LayeredMap.class);
        assertFailsNaming(
                ToolReachingIntoTheDomain.class,
                () -> NO_MODULE_USES_ANOTHER_MODULES_INTERNALS.check(toolUsingTheDomainsInternals));
        JavaClasses apiUsingTheEngine =
                new ClassFileImporter().importClasses(ApiClassUsingTheEngine.class, PostgresEventStore.class);
        assertFailsNaming(
                ApiClassUsingTheEngine.class, () -> THE_API_DEPENDS_ON_NOTHING_ELSE_OF_OURS.check(apiUsingTheEngine));
        JavaClasses apiExposingJackson = new ClassFileImporter().importClasses(ApiClassExposingJackson.class);
        assertFailsNaming(
                ApiClassExposingJackson.class, () -> THE_API_EXPOSES_NO_JACKSON_TYPE.check(apiExposingJackson));
        JavaClasses cycle = new ClassFileImporter().importClasses(First.class, Second.class);
        assertFailsNaming(First.class, () -> NO_CYCLES_BETWEEN_PACKAGES.check(cycle));
    }

    private static void assertFailsNaming(Class<?> offender, Executable check) {
        AssertionError failure = assertThrows(AssertionError.class, check);
        assertTrue(
                failure.getMessage().contains(offender.getName()),
                "the failure should name " + offender.getName() + ": " + failure.getMessage());
    }

    private static long lines(Path file) {
        try (Stream<String> lines = Files.lines(file)) {
            return lines.count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @return the module of a package of ours, or null */
    static String moduleOf(String packageName) {
        if (packageName.equals("io.dcbstore") || packageName.equals("io.dcbstore.internal")) {
            return "dcb-api";
        }
        return MODULE_BY_PACKAGE_PREFIX.entrySet().stream()
                .filter(entry -> packageName.equals(entry.getKey()) || packageName.startsWith(entry.getKey() + "."))
                .map(Map.Entry::getValue)
                .findFirst()
                .orElse(null);
    }

    /** No public or protected field, constructor or method names a type of the package in its signature (generics too). */
    private static ArchCondition<JavaClass> exposeNoTypeOf(String packagePrefix) {
        return new ArchCondition<>("expose no type of " + packagePrefix + " in a public signature") {
            @Override
            public void check(JavaClass api, ConditionEvents events) {
                for (JavaMember member : api.getMembers()) {
                    if (!member.getModifiers().contains(JavaModifier.PUBLIC)
                            && !member.getModifiers().contains(JavaModifier.PROTECTED)) {
                        continue;
                    }
                    List<JavaType> types = new ArrayList<>();
                    if (member instanceof JavaField field) {
                        types.add(field.getType());
                    } else if (member instanceof JavaCodeUnit code) {
                        types.add(code.getReturnType());
                        types.addAll(code.getParameterTypes());
                    }
                    types.stream()
                            .flatMap(type -> type.getAllInvolvedRawTypes().stream())
                            .filter(raw -> raw.getName().startsWith(packagePrefix))
                            .forEach(raw -> events.add(SimpleConditionEvent.violated(
                                    member, member.getFullName() + " exposes " + raw.getName())));
                }
            }
        };
    }

    private static ArchCondition<JavaClass> beUsedOnlyFromTheirOwnModule() {
        return new ArchCondition<>("be used only from their own module") {
            @Override
            public void check(JavaClass internal, ConditionEvents events) {
                String owner = moduleOf(internal.getPackageName());
                for (Dependency dependency : internal.getDirectDependenciesToSelf()) {
                    String user = moduleOf(dependency.getOriginClass().getPackageName());
                    boolean sharedJsonRules = "dcb-api".equals(owner) && "dcb-postgres".equals(user);
                    if (!owner.equals(user) && !sharedJsonRules) {
                        events.add(SimpleConditionEvent.violated(dependency, dependency.getDescription()));
                    }
                }
            }
        };
    }

    /**
     * One slice per package, a package's {@code internal} package counted with it: an API package
     * and its implementation refer to each other (records in, engine out), as in jOOQ's
     * {@code org.jooq} and {@code org.jooq.impl}; anything else that goes round in a circle is a cycle.
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
