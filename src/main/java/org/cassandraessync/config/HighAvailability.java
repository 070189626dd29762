package org.cassandraessync.config;

import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * How several instances share the pairs ({@code sync.ha.*}) and where the checkpoints live
 * ({@code sync.checkpoint-store}): with a cluster service, each pair has its own election and only
 * its leader runs the pair's cycles; the others stand by and take over from the last checkpoint.
 */
public record HighAvailability(
        ClusterService clusterService,
        String instanceId,
        Set<String> preferredPairs,
        Duration standbyDelay,
        Duration fileRetryInterval,
        String zookeeperNodes,
        String zookeeperBasePath,
        Duration zookeeperSessionTimeout,
        boolean checkpointsInCassandra,
        String checkpointTable) {

    /** Who elects each pair's leader. */
    public enum ClusterService {
        /** No election: this instance runs every pair. */
        NONE,
        /** Camel's FileLockClusterService on a folder every instance shares. */
        FILE,
        /** Camel's ZooKeeperClusterService. */
        ZOOKEEPER,
        /** A CamelClusterService the Camel context already has (camel-kubernetes, a Spring bean). */
        CAMEL
    }

    /** The namespace of a pair's election (the lock file's name, the ZooKeeper node, the lease). */
    public static String namespace(String pair) {
        return "cassandra-es-sync-" + pair;
    }

    public boolean enabled() {
        return clusterService != ClusterService.NONE;
    }

    /** True when this instance joins the pair's election at once (see {@code sync.ha.preferred-pairs}). */
    public boolean prefers(String pair) {
        return preferredPairs.isEmpty() || preferredPairs.contains(pair);
    }

    private static final Pattern INSTANCE_ID = Pattern.compile("[A-Za-z0-9_.:-]{1,100}");

    static HighAvailability read(SyncSettings.Reader r) {
        ClusterService service = r.get(SyncSetting.HA_CLUSTER_SERVICE, HighAvailability::clusterService);
        String instanceId = r.get(SyncSetting.HA_INSTANCE_ID, HighAvailability::instanceId);
        Set<String> preferred = r.get(SyncSetting.HA_PREFERRED_PAIRS, v -> Arrays.stream(v.split(","))
                .map(String::trim).filter(s -> !s.isEmpty()).collect(Collectors.toUnmodifiableSet()));
        Duration standbyDelay = r.get(SyncSetting.HA_STANDBY_DELAY, SyncSettings::nonNegativeDuration);
        Duration retry = r.get(SyncSetting.HA_FILE_RETRY_INTERVAL, SyncSettings::positiveDuration);
        String nodes = r.raw(SyncSetting.HA_ZOOKEEPER_NODES);
        String basePath = r.get(SyncSetting.HA_ZOOKEEPER_BASE_PATH, HighAvailability::zookeeperPath);
        Duration session = r.get(SyncSetting.HA_ZOOKEEPER_SESSION_TIMEOUT, SyncSettings::positiveDuration);
        String store = r.get(SyncSetting.CHECKPOINT_STORE, HighAvailability::checkpointStore);
        String table = r.get(SyncSetting.CASSANDRA_CHECKPOINT_TABLE, SyncSettings::cqlIdentifier);
        if (service == ClusterService.ZOOKEEPER && nodes.isEmpty()) {
            r.problem(SyncSetting.HA_ZOOKEEPER_NODES.key() + " is empty but " + SyncSetting.HA_CLUSTER_SERVICE.key()
                    + " = zookeeper: name the ZooKeeper servers (host:port,...)");
        }
        if (!preferred.isEmpty() && (service == ClusterService.NONE || service == ClusterService.CAMEL)) {
            r.problem(SyncSetting.HA_PREFERRED_PAIRS.key() + " is set but " + SyncSetting.HA_CLUSTER_SERVICE.key()
                    + " = " + (service == null ? "?" : service.name().toLowerCase(Locale.ROOT))
                    + ": preferences apply to the file and zookeeper cluster services");
        }
        boolean inCassandra = "cassandra".equals(store)
                || ("auto".equals(store) && (service == ClusterService.ZOOKEEPER || service == ClusterService.CAMEL));
        return new HighAvailability(service, instanceId, preferred, standbyDelay, retry, nodes, basePath, session,
                inCassandra, table);
    }

    private static ClusterService clusterService(String v) {
        return switch (v.toLowerCase(Locale.ROOT)) {
            case "none" -> ClusterService.NONE;
            case "file" -> ClusterService.FILE;
            case "zookeeper" -> ClusterService.ZOOKEEPER;
            case "camel" -> ClusterService.CAMEL;
            default -> throw new IllegalArgumentException("expected none, file, zookeeper or camel");
        };
    }

    private static String checkpointStore(String v) {
        String s = v.toLowerCase(Locale.ROOT);
        if (!s.equals("auto") && !s.equals("file") && !s.equals("cassandra")) {
            throw new IllegalArgumentException("expected auto, file or cassandra");
        }
        return s;
    }

    private static String instanceId(String v) {
        if (v.isEmpty()) {
            return host() + "-" + ManagementFactory.getRuntimeMXBean().getPid();
        }
        if (!INSTANCE_ID.matcher(v).matches()) {
            throw new IllegalArgumentException("expected letters, digits and _ . : - (at most 100)");
        }
        return v;
    }

    private static String host() {
        try {
            String name = InetAddress.getLocalHost().getHostName();
            return name.replaceAll("[^A-Za-z0-9_.:-]", "_");
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }

    private static String zookeeperPath(String v) {
        if (!v.startsWith("/") || v.length() > 1 && v.endsWith("/") || v.contains("//")) {
            throw new IllegalArgumentException("expected an absolute ZooKeeper path such as /cassandra-es-sync");
        }
        return v;
    }
}
