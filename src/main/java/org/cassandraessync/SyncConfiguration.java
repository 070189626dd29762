package org.cassandraessync;

import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.StartupListener;
import org.apache.camel.model.Model;
import org.apache.camel.model.ModelLifecycleStrategy;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.model.RouteTemplateDefinition;
import org.apache.camel.spi.PropertiesComponent;
import org.cassandraessync.config.PairSettings;
import org.cassandraessync.config.SyncSettings;
import org.cassandraessync.connect.StoreClients;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the standalone daemon adds to a Camel context, before its routes are loaded: the
 * {@code sync.*} settings validated at once (failing startup with the offending keys), the shared
 * store connections, and the {@code default} pair when no pair is declared. Embedding the sync in
 * another Camel application needs none of this: the route template does the rest.
 */
public class SyncConfiguration implements CamelConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(SyncConfiguration.class);

    /** The id of the route template a pair instantiates ({@code routes/cassandra-es-sync.yaml}). */
    public static final String TEMPLATE = "cassandra-es-sync";

    @Override
    public void configure(CamelContext context) throws Exception {
        PropertiesComponent properties = context.getPropertiesComponent();
        StoreClients clients = new StoreClients(SyncSettings.from(properties::resolveProperty));
        context.getRegistry().bind(StoreClients.BEAN, StoreClients.class, clients);
        context.addService(clients, true, true);
        context.addStartupListener(new DefaultPair(clients));
        context.getCamelContextExtension().getContextPlugin(Model.class).addModelLifecycleStrategy(new PairRoutes());
    }

    /**
     * The pairs' routes as Camel adds them: the template they come from is logged, and the steps of
     * each pair's route are named after the pair ({@code orders.write-page} rather than the
     * {@code route-1write-page} Camel gives the steps of a route made from a template; a
     * {@code templatedRoute}'s own {@code prefixId} is kept).
     */
    private static final class PairRoutes implements ModelLifecycleStrategy {

        private String templateFrom;

        @Override
        public void onAddRouteDefinition(RouteDefinition route) {
            Map<String, Object> parameters = route.getTemplateParameters();
            Object pair = parameters == null ? null : parameters.get("pair");
            String prefix = route.getNodePrefixId();
            if (pair != null && prefix != null && prefix.matches("route-[0-9]+")) {
                route.setNodePrefixId(pair + ".");
            }
        }

        @Override
        public void onRemoveRouteDefinition(RouteDefinition route) {
        }

        /**
         * Says which route template the pairs use: the jar's, or a copy in the working folder that
         * replaces it. Camel uses the first template loaded with an id; a second one is named.
         */
        @Override
        public void onAddRouteTemplateDefinition(RouteTemplateDefinition template) {
            if (!TEMPLATE.equals(template.getId())) {
                return;
            }
            String from = template.getResource() == null ? "(no file)" : template.getResource().getLocation();
            if (templateFrom == null) {
                templateFrom = from;
                LOG.info("Route template {}: {}", TEMPLATE, from.equals(SyncApplication.PACKAGED_TEMPLATE)
                        ? "the jar's (" + from + ")" : from + ", in place of the jar's");
            } else {
                LOG.warn("{} declares the route template {} again and is not used: the pairs use the one from {}",
                        from, TEMPLATE, templateFrom);
            }
        }

        @Override
        public void onRemoveRouteTemplateDefinition(RouteTemplateDefinition template) {
        }
    }

    /**
     * Declares the pair {@value PairSettings#DEFAULT_PAIR} from {@code sync.cassandra.keyspace},
     * {@code sync.cassandra.table} and {@code sync.elasticsearch.index} when neither
     * {@code camel.route-template[n].*} nor a YAML {@code templatedRoute} declared one: a
     * single-pair installation keeps working as it is.
     */
    private record DefaultPair(StoreClients clients) implements StartupListener {

        @Override
        public void onCamelContextStarted(CamelContext context, boolean alreadyStarted) throws Exception {
            // nothing: the pairs are known once the routes are
        }

        @Override
        public void onCamelContextFullyStarted(CamelContext context, boolean alreadyStarted) throws Exception {
            if (!clients.pairs().isEmpty()) {
                return;
            }
            SyncSettings settings = clients.settings();
            Map<String, Object> parameters = new LinkedHashMap<>();
            PairSettings pair = settings.defaultPair();
            parameters.put("pair", pair.pair());
            parameters.put("keyspace", pair.keyspace());
            parameters.put("table", pair.table());
            parameters.put("index", pair.index());
            LOG.info("No pair declared: syncing {}.{} with index {} as pair '{}'", pair.keyspace(), pair.table(),
                    pair.index(), pair.pair());
            context.addRouteFromTemplate(pair.pair(), TEMPLATE, parameters);
        }
    }
}
