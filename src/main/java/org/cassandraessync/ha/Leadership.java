package org.cassandraessync.ha;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import org.apache.camel.CamelContext;
import org.apache.camel.CamelContextAware;
import org.apache.camel.cluster.CamelClusterMember;
import org.apache.camel.cluster.CamelClusterService;
import org.apache.camel.cluster.CamelClusterView;
import org.apache.camel.component.file.cluster.FileLockClusterService;
import org.apache.camel.component.master.MasterComponent;
import org.apache.camel.component.zookeeper.cluster.ZooKeeperClusterService;
import org.apache.camel.spi.PropertiesFunction;
import org.apache.camel.support.cluster.ClusterServiceHelper;
import org.cassandraessync.config.HighAvailability;
import org.cassandraessync.config.InvalidConfigurationException;
import org.cassandraessync.connect.StoreClients;
import org.cassandraessync.config.SyncSetting;
import org.cassandraessync.config.SyncSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Each pair's leadership. The placeholder function {@code {{sync-leadership:pair}}} in front of a
 * pair's trigger gives {@code master:cassandra-es-sync-<pair>:} when {@code sync.ha.cluster-service}
 * is set (nothing otherwise): Camel's master component then starts the pair's Quartz trigger only
 * on the instance that leads the pair, and stops it when that instance loses the leadership. The
 * cluster service it elects with ({@code file}, {@code zookeeper}) is created here, once per Camel
 * context; {@code camel} uses the one the context already has. Camel finds the function through
 * {@code META-INF/services/org/apache/camel/properties-function/sync-leadership}.
 */
public class Leadership implements PropertiesFunction, CamelContextAware {

    private static final Logger LOG = LoggerFactory.getLogger(Leadership.class);
    /** The cluster service this function created, in the Camel registry under this name. */
    static final String SERVICE_BEAN = "cassandraEsSyncClusterService";
    /** camel-master's default back-off delay, and ours (also its retry interval should a trigger fail to start). */
    private static final long CAMEL_MASTER_BACK_OFF_MILLIS = 5000;
    private static final long MASTER_BACK_OFF_MILLIS = 50;

    private CamelContext context;

    @Override
    public String getName() {
        return "sync-leadership";
    }

    @Override
    public void setCamelContext(CamelContext context) {
        this.context = context;
    }

    @Override
    public CamelContext getCamelContext() {
        return context;
    }

    @Override
    public String apply(String pair) {
        HighAvailability ha = StoreClients.shared(context).settings().ha();
        if (!ha.enabled()) {
            return "";
        }
        ensureClusterService(context, ha);
        releasesTheElectionPromptly(context);
        return "master:" + HighAvailability.namespace(pair.trim()) + ":";
    }

    /**
     * A new leader's master consumer (camel-master 4.14.0) starts the pair's trigger, then goes on
     * "starting" it again every back-off delay (Camel's default 5 s) until its retry budget ends,
     * about 4 s, before it returns from the leadership event; {@code file}'s election holds its lock
     * all that time, so the leader gauge and the first cycle, which ask it who leads, waited that
     * long after every takeover (FailoverIT; 2.5 s with a 250 ms delay). A 50 ms delay, unless set.
     */
    private static void releasesTheElectionPromptly(CamelContext context) {
        MasterComponent master = context.getComponent("master", MasterComponent.class);
        if (master.getBackOffDelay() == CAMEL_MASTER_BACK_OFF_MILLIS) {
            master.setBackOffDelay(MASTER_BACK_OFF_MILLIS);
        }
    }

    /** True when this instance runs the pair's cycles: it leads the pair, or there is no election. */
    public static boolean leads(CamelContext context, String pair) {
        HighAvailability ha = StoreClients.shared(context).settings().ha();
        if (!ha.enabled()) {
            return true;
        }
        return ClusterServiceHelper.lookupService(context).map(s -> s.isLeader(HighAvailability.namespace(pair)))
                .orElse(false);
    }

    /**
     * Leaves the pair's election and joins it again: the view is stopped (a file lock is released,
     * a ZooKeeper participant leaves) and started (a candidate again). For an instance that the
     * election still names while a newer term has begun elsewhere: with {@code file}, a lock held
     * on a lock file that was removed and created again by another instance.
     */
    static void rejoin(CamelContext context, String pair) {
        String namespace = HighAvailability.namespace(pair);
        Optional<CamelClusterService> service = ClusterServiceHelper.lookupService(context);
        if (service.isEmpty()) {
            return;
        }
        try {
            service.get().stopView(namespace);
            service.get().startView(namespace);
            LOG.info("pair '{}': instance {} left the election and joined it again as a candidate", pair,
                    service.get().getId());
        } catch (Exception e) {
            LOG.error("pair '{}': could not leave the election ({}); this instance runs no cycle of the pair until"
                    + " it is restarted", pair, e.getMessage(), e);
        }
    }

    /**
     * Whether this instance takes part in the pair's election, as the election's list of
     * participants says (ZooKeeper: the Curator leader selector's queue); empty while that is
     * unknown (the election not joined yet, ZooKeeper not answering).
     */
    static Optional<Boolean> candidate(CamelContext context, String pair) {
        return ask(context, pair, "participants",
                view -> Optional.of(view.getMembers().stream().anyMatch(CamelClusterMember::isLocal)));
    }

    /**
     * Whether the election names this instance as the pair's leader when asked now, rather than
     * as this instance last heard (ZooKeeper: a round trip that reads which participant's node
     * leads; an instance whose session expired while it was paused finds another one there);
     * empty while the election cannot tell.
     */
    static Optional<Boolean> leaderNow(CamelContext context, String pair) {
        return ask(context, pair, "leader", view -> view.getLeader().map(CamelClusterMember::isLocal));
    }

    /** {@code question} put to the pair's view of the election; empty when there is none or it does not answer. */
    private static <T> Optional<T> ask(CamelContext context, String pair, String what,
            Function<CamelClusterView, Optional<T>> question) {
        String namespace = HighAvailability.namespace(pair);
        Optional<CamelClusterService> service = ClusterServiceHelper.lookupService(context);
        if (service.isEmpty() || !service.get().getNamespaces().contains(namespace)) {
            return Optional.empty();
        }
        try {
            CamelClusterView view = service.get().getView(namespace);
            try {
                return question.apply(view);
            } finally {
                service.get().releaseView(view);
            }
        } catch (Exception e) {
            LOG.debug("pair '{}': the election did not say its {} ({})", pair, what, e.getMessage());
            return Optional.empty();
        }
    }

    /** The cluster service of this Camel context, created from {@code sync.ha.*} when needed. */
    static synchronized CamelClusterService ensureClusterService(CamelContext context, HighAvailability ha) {
        CamelClusterService existing = context.getRegistry().lookupByNameAndType(SERVICE_BEAN,
                CamelClusterService.class);
        if (existing != null) {
            return existing;
        }
        if (ha.clusterService() == HighAvailability.ClusterService.CAMEL) {
            Optional<CamelClusterService> found = ClusterServiceHelper.lookupService(context);
            if (found.isEmpty()) {
                throw new InvalidConfigurationException(List.of(SyncSetting.HA_CLUSTER_SERVICE.key() + " = camel: the"
                        + " Camel context has no CamelClusterService (declare one, e.g. camel-kubernetes'"
                        + " KubernetesClusterService as a bean; see docs/several-instances.md)"));
            }
            return found.get();
        }
        CamelClusterService service = switch (ha.clusterService()) {
            case FILE -> fileLocks(StoreClients.shared(context).settings().stateDir(), ha);
            case ZOOKEEPER -> zookeeper(ha);
            default -> throw new IllegalStateException("no cluster service for " + ha.clusterService());
        };
        if (!ha.preferredPairs().isEmpty()) {
            service = new DelayedCandidacy(service, ns -> ha.prefers(ns.substring(HighAvailability.namespace("").length())),
                    ha.standbyDelay());
        }
        service.setCamelContext(context);
        context.getRegistry().bind(SERVICE_BEAN, CamelClusterService.class, service);
        try {
            context.addService(service, true, true);
        } catch (Exception e) {
            throw new IllegalStateException("cannot start the cluster service " + ha.clusterService(), e);
        }
        LOG.info("Instance '{}': each pair's cycles run on the instance that leads it ({}){}", ha.instanceId(),
                describe(StoreClients.shared(context).settings(), ha),
                ha.preferredPairs().isEmpty() ? "" : "; prefers " + ha.preferredPairs() + ", joins the other pairs'"
                        + " elections after " + ha.standbyDelay().toSeconds() + " s");
        return service;
    }

    private static String describe(SyncSettings settings, HighAvailability ha) {
        return switch (ha.clusterService()) {
            case FILE -> "lock files in " + settings.stateDir().toAbsolutePath().resolve("leadership");
            case ZOOKEEPER -> "ZooKeeper " + ha.zookeeperNodes() + ha.zookeeperBasePath();
            default -> ha.clusterService().name();
        };
    }

    private static CamelClusterService fileLocks(Path stateDir, HighAvailability ha) {
        Path root = stateDir.toAbsolutePath().resolve("leadership");
        try {
            Files.createDirectories(root);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the folder of the lock files " + root, e);
        }
        FileLockClusterService service = new FileLockClusterService();
        service.setId(ha.instanceId());
        service.setRoot(root.toString());
        service.setAcquireLockDelay(1, TimeUnit.SECONDS);
        service.setAcquireLockInterval(ha.fileRetryInterval().toMillis(), TimeUnit.MILLISECONDS);
        return service;
    }

    private static CamelClusterService zookeeper(HighAvailability ha) {
        ZooKeeperClusterService service = new ZooKeeperClusterService();
        service.setId(ha.instanceId());
        service.setNodes(ha.zookeeperNodes());
        service.setBasePath(ha.zookeeperBasePath());
        service.setSessionTimeout(ha.zookeeperSessionTimeout().toMillis(), TimeUnit.MILLISECONDS);
        service.setConnectionTimeout(Math.min(15_000, ha.zookeeperSessionTimeout().toMillis()), TimeUnit.MILLISECONDS);
        return service;
    }
}
