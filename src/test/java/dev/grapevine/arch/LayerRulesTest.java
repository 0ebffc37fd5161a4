package dev.grapevine.arch;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import dev.grapevine.core.Hash64;
import dev.grapevine.core.config.Profile;
import dev.grapevine.core.config.Settings;
import dev.grapevine.core.member.Address;
import dev.grapevine.core.member.Member;
import dev.grapevine.core.wire.ClusterName;
import dev.grapevine.runtime.NodeHandle;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.belongToAnyOf;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The layers of the architecture, as rules over the compiled classes (tests excluded):
 *
 * <pre>
 *  api ──► runtime (through NodeHandle only) ──► spi ──► core ◄── sim
 *  ops, kv, examples ──► api, spi (+ a few core values, log)
 * </pre>
 * <p>A broken rule fails with every offending class, the class it uses and the source line.
 */
class LayerRulesTest {

    /** Every production class; one import for all the rules. */
    private static JavaClasses classes;

    /**
     * The core values the layers above may name: addresses, member limits, profiles and protocol
     * settings, cluster names, the partition hash. Everything else of core they reach through the api.
     */
    private static final DescribedPredicate<JavaClass> CORE_VALUES =
            belongToAnyOf(Address.class, Member.class, Profile.class, Settings.class, ClusterName.class, Hash64.class,
                    dev.grapevine.core.recovery.TombstoneGc.class); // the rule a domain purges its tombstones by

    private static final DescribedPredicate<JavaClass> THIRD_PARTY_OR_JDK = resideOutsideOfPackage("dev.grapevine..");

    @BeforeAll
    static void importClasses() {
        classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.grapevine");
        assertTrue(classes.size() > 200, "imported only " + classes.size() + " classes of dev.grapevine");
    }

    @Test
    void coreDependsOnlyOnCoreAndTheJdk() {
        ArchRule rule = classes().that().resideInAPackage("dev.grapevine.core..")
                .should().onlyDependOnClassesThat(resideInAnyPackage("dev.grapevine.core..", "java.."))
                .because("the core is the protocol as pure Java, which the simulator runs as it is");
        rule.check(classes);
    }

    @Test
    void coreReadsNoClock() {
        ArchRule rule = noClasses().that().resideInAPackage("dev.grapevine.core..")
                .should().callMethod(System.class, "currentTimeMillis")
                .orShould().callMethod(System.class, "nanoTime")
                .because("time arrives in the core as an argument");
        rule.check(classes);
    }

    @Test
    void simDependsOnlyOnCore() {
        ArchRule rule = classes().that().resideInAPackage("dev.grapevine.sim..")
                .should().onlyDependOnClassesThat(THIRD_PARTY_OR_JDK
                        .or(resideInAnyPackage("dev.grapevine.sim..", "dev.grapevine.core..")))
                .because("the simulator drives the same core components as a node, and nothing of a node");
        rule.check(classes);
    }

    @Test
    void spiDependsOnlyOnCore() {
        ArchRule rule = classes().that().resideInAPackage("dev.grapevine.spi..")
                .should().onlyDependOnClassesThat(THIRD_PARTY_OR_JDK
                        .or(resideInAnyPackage("dev.grapevine.spi..", "dev.grapevine.core..")))
                .because("the runtime uses the SPI, so it sits below the runtime and the api");
        rule.check(classes);
    }

    @Test
    void logDependsOnNoOtherLayer() {
        ArchRule rule = classes().that().resideInAPackage("dev.grapevine.log..")
                .should().onlyDependOnClassesThat(THIRD_PARTY_OR_JDK.or(resideInAPackage("dev.grapevine.log..")))
                .because("every layer above core logs through it");
        rule.check(classes);
    }

    @Test
    void runtimeDependsNeitherOnTheApiNorOnAnythingAbove() {
        ArchRule rule = classes().that().resideInAPackage("dev.grapevine.runtime..")
                .should().onlyDependOnClassesThat(THIRD_PARTY_OR_JDK.or(resideInAnyPackage(
                        "dev.grapevine.runtime..", "dev.grapevine.spi..", "dev.grapevine.core..", "dev.grapevine.log..")))
                .because("the api uses the runtime; what the runtime needs of the user lives in spi");
        rule.check(classes);
    }

    @Test
    void apiReachesTheRuntimeOnlyThroughNodeHandle() {
        ArchRule rule = noClasses().that().resideInAPackage("dev.grapevine.api..")
                .should().dependOnClassesThat(resideInAPackage("dev.grapevine.runtime..")
                        .and(DescribedPredicate.not(belongToAnyOf(NodeHandle.class))))
                .because("the actors and their messages are the runtime's own; NodeHandle is the one way in");
        rule.check(classes);
    }

    /**
     * The majority rule of {@code kv.partition-mode = majority}: a pure decision of core that the
     * key-value store runs itself, on the epochs and members the api gives it, and whose reference it
     * keeps beside its own data. Only the store takes writes, so only it needs the verdict; passing it
     * through the api would add a subscription for one domain's policy.
     */
    private static final DescribedPredicate<JavaClass> KV_CORE_RULES =
            belongToAnyOf(dev.grapevine.core.recovery.MajorityGate.class);

    @Test
    void kvUsesOnlyTheApi() {
        ArchRule rule = classes().that().resideInAPackage("dev.grapevine.kv..")
                .should().onlyDependOnClassesThat(THIRD_PARTY_OR_JDK.or(CORE_VALUES).or(KV_CORE_RULES).or(resideInAnyPackage(
                        "dev.grapevine.kv..", "dev.grapevine.api..", "dev.grapevine.spi..", "dev.grapevine.log..")))
                .because("the key-value store is a domain built on the api, as a user's would be");
        rule.check(classes);
    }

    @Test
    void opsUsesOnlyTheApi() {
        ArchRule rule = classes().that().resideInAPackage("dev.grapevine.ops..")
                .should().onlyDependOnClassesThat(THIRD_PARTY_OR_JDK.or(CORE_VALUES).or(resideInAnyPackage(
                        "dev.grapevine.ops..", "dev.grapevine.api..", "dev.grapevine.spi..", "dev.grapevine.log..",
                        // the agent hosts the key-value domain, and the CLI the simulator's command
                        "dev.grapevine.kv..", "dev.grapevine.sim..")))
                .because("the CLI and the admin API talk to a node through the api, never its internals");
        rule.check(classes);
    }

    @Test
    void examplesUseOnlyTheApi() {
        ArchRule rule = classes().that().resideInAPackage("dev.grapevine.examples..")
                .should().onlyDependOnClassesThat(THIRD_PARTY_OR_JDK.or(CORE_VALUES).or(resideInAnyPackage(
                        "dev.grapevine.examples..", "dev.grapevine.api..", "dev.grapevine.spi..")))
                .because("the examples show what an application needs: the api");
        rule.check(classes);
    }

    @Test
    void layersAreFreeOfCycles() {
        ArchRule rule = slices().matching("dev.grapevine.(*)..").should().beFreeOfCycles();
        rule.check(classes);
    }
}
