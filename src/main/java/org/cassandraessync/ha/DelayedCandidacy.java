package org.cassandraessync.ha;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import org.apache.camel.CamelContext;
import org.apache.camel.cluster.CamelClusterEventListener;
import org.apache.camel.cluster.CamelClusterMember;
import org.apache.camel.cluster.CamelClusterService;
import org.apache.camel.cluster.CamelClusterView;
import org.apache.camel.support.service.ServiceHelper;
import org.apache.camel.support.service.ServiceSupport;

/**
 * A cluster service that joins the elections of the pairs this instance does not prefer only
 * {@code delay} after it started ({@code sync.ha.preferred-pairs}, {@code sync.ha.standby-delay}):
 * started together, each instance leads the pairs it prefers and stands by for the others. Until
 * it joins, a view answers "not the leader" and keeps its listeners for the real one.
 */
final class DelayedCandidacy extends ServiceSupport implements CamelClusterService {

    private final CamelClusterService delegate;
    private final Predicate<String> joinsAtOnce;
    private final Duration delay;
    private CamelContext context;
    private ScheduledExecutorService timer;
    private long startedNanos;

    DelayedCandidacy(CamelClusterService delegate, Predicate<String> joinsAtOnce, Duration delay) {
        this.delegate = delegate;
        this.joinsAtOnce = joinsAtOnce;
        this.delay = delay;
    }

    @Override
    protected void doStart() throws Exception {
        startedNanos = System.nanoTime();
        timer = context.getExecutorServiceManager().newSingleThreadScheduledExecutor(this, "sync-ha-standby");
        ServiceHelper.startService(delegate);
    }

    @Override
    protected void doStop() throws Exception {
        if (timer != null) {
            context.getExecutorServiceManager().shutdown(timer);
        }
        ServiceHelper.stopService(delegate);
    }

    @Override
    public CamelClusterView getView(String namespace) throws Exception {
        long wait = delay.toNanos() - (System.nanoTime() - startedNanos);
        if (joinsAtOnce.test(namespace) || wait <= 0) {
            return delegate.getView(namespace);
        }
        LateView view = new LateView(namespace);
        view.join = timer.schedule(view::join, wait, TimeUnit.NANOSECONDS);
        return view;
    }

    @Override
    public void releaseView(CamelClusterView view) throws Exception {
        if (view instanceof LateView late) {
            late.release();
        } else {
            delegate.releaseView(view);
        }
    }

    @Override
    public Collection<String> getNamespaces() {
        return delegate.getNamespaces();
    }

    @Override
    public void startView(String namespace) throws Exception {
        delegate.startView(namespace);
    }

    @Override
    public void stopView(String namespace) throws Exception {
        delegate.stopView(namespace);
    }

    @Override
    public boolean isLeader(String namespace) {
        return delegate.isLeader(namespace);
    }

    @Override
    public String getId() {
        return delegate.getId();
    }

    @Override
    public void setId(String id) {
        delegate.setId(id);
    }

    @Override
    public void setCamelContext(CamelContext context) {
        this.context = context;
        delegate.setCamelContext(context);
    }

    @Override
    public CamelContext getCamelContext() {
        return context;
    }

    /** A pair's view before this instance joins its election. */
    private final class LateView extends ServiceSupport implements CamelClusterView {
        private final String namespace;
        private final List<CamelClusterEventListener> listeners = new CopyOnWriteArrayList<>();
        private volatile CamelClusterView real;
        private volatile ScheduledFuture<?> join;
        private final CamelClusterMember waiting = new CamelClusterMember() {
            @Override
            public boolean isLeader() {
                return false;
            }

            @Override
            public boolean isLocal() {
                return true;
            }

            @Override
            public String getId() {
                return delegate.getId();
            }
        };

        LateView(String namespace) {
            this.namespace = namespace;
        }

        private synchronized void join() {
            try {
                real = delegate.getView(namespace);
                listeners.forEach(real::addEventListener);
            } catch (Exception e) {
                throw new IllegalStateException("cannot join the election " + namespace, e);
            }
        }

        synchronized void release() throws Exception {
            if (join != null) {
                join.cancel(false);
            }
            if (real != null) {
                listeners.forEach(real::removeEventListener);
                delegate.releaseView(real);
                real = null;
            }
        }

        @Override
        public CamelClusterService getClusterService() {
            return DelayedCandidacy.this;
        }

        @Override
        public String getNamespace() {
            return namespace;
        }

        @Override
        public Optional<CamelClusterMember> getLeader() {
            CamelClusterView r = real;
            return r == null ? Optional.empty() : r.getLeader();
        }

        @Override
        public CamelClusterMember getLocalMember() {
            CamelClusterView r = real;
            return r == null ? waiting : r.getLocalMember();
        }

        @Override
        public List<CamelClusterMember> getMembers() {
            CamelClusterView r = real;
            return r == null ? List.of(waiting) : r.getMembers();
        }

        @Override
        public synchronized void addEventListener(CamelClusterEventListener listener) {
            listeners.add(listener);
            if (real != null) {
                real.addEventListener(listener);
            }
        }

        @Override
        public synchronized void removeEventListener(CamelClusterEventListener listener) {
            listeners.remove(listener);
            if (real != null) {
                real.removeEventListener(listener);
            }
        }

        @Override
        public void setCamelContext(CamelContext context) {
            // the real view has the service's context
        }

        @Override
        public CamelContext getCamelContext() {
            return context;
        }
    }
}
