package org.cassandraessync.ha;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.apache.camel.CamelContext;
import org.apache.camel.cluster.CamelClusterService;
import org.apache.camel.support.cluster.ClusterServiceHelper;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.cassandraessync.config.HighAvailability;
import org.cassandraessync.state.StateFolder;

/**
 * Whether the election {@code sync.ha.cluster-service} names can run here ({@code check}), without
 * joining it: the lock files' folder is writable, ZooKeeper answers, or the Camel context has a
 * cluster service.
 */
public final class ElectionProbe {

    private static final int TIMEOUT_MILLIS = 5000;

    private ElectionProbe() {
    }

    /**
     * @return what was found, in a few words
     * @throws IllegalStateException saying what is wrong
     */
    public static String probe(CamelContext context, HighAvailability ha, Path stateDir) {
        return switch (ha.clusterService()) {
            case NONE -> "none";
            case FILE -> fileLocks(stateDir.toAbsolutePath().resolve("leadership"));
            case ZOOKEEPER -> zookeeper(ha);
            case CAMEL -> camel(context);
        };
    }

    private static String fileLocks(Path root) {
        StateFolder.problem(root).ifPresent(problem -> {
            throw new IllegalStateException("file: " + problem + "; sync.state-dir must be a folder every instance"
                    + " shares and may write");
        });
        return "file: lock files in " + root + " (covers crashes, not hangs)";
    }

    private static String zookeeper(HighAvailability ha) {
        try (CuratorFramework zk = CuratorFrameworkFactory.newClient(ha.zookeeperNodes(),
                (int) ha.zookeeperSessionTimeout().toMillis(), TIMEOUT_MILLIS, new RetryOneTime(500))) {
            zk.start();
            if (!zk.blockUntilConnected(TIMEOUT_MILLIS, TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException("zookeeper: no answer from " + ha.zookeeperNodes() + " within "
                        + TIMEOUT_MILLIS / 1000 + " s (sync.ha.zookeeper.nodes)");
            }
            boolean elections = zk.checkExists().forPath(ha.zookeeperBasePath()) != null;
            return "zookeeper: " + ha.zookeeperNodes() + " answers; " + ha.zookeeperBasePath()
                    + (elections ? " holds the elections" : " does not exist yet (created by the first instance)");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("zookeeper: interrupted", e);
        } catch (IllegalStateException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("zookeeper: " + ha.zookeeperNodes() + ": " + e.getMessage(), e);
        }
    }

    private static String camel(CamelContext context) {
        CamelClusterService service = ClusterServiceHelper.lookupService(context).orElseThrow(
                () -> new IllegalStateException("camel: the Camel context has no CamelClusterService (declare one,"
                        + " e.g. camel-kubernetes' KubernetesClusterService)"));
        return "camel: " + service.getClass().getSimpleName() + " " + service.getId();
    }
}
