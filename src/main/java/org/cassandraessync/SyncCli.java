package org.cassandraessync;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;

import org.cassandraessync.config.InvalidConfigurationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * The jar's command line: {@code run} (the daemon, the default), {@code verify}, {@code dry-run},
 * {@code check} and {@code config}, each with its {@code --help}; {@code --version}. The
 * {@code sync.*} keys are not options: they come from {@code -D}, the environment and
 * {@code application.properties}, as for the daemon. Exit codes are the same for every command.
 */
@Command(name = "java -jar cassandra-es-sync.jar", mixinStandardHelpOptions = true,
        versionProvider = SyncCli.Versions.class, sortOptions = false,
        description = "Keeps Cassandra tables and Elasticsearch indexes in sync, both ways. Without a command it runs"
                + " the daemon.",
        subcommands = {SyncCli.Run.class, SyncCli.Verify.class, SyncCli.DryRun.class, SyncCli.Check.class,
                SyncCli.Config.class, CommandLine.HelpCommand.class},
        footerHeading = "%n", footer = {
            "Settings are not options: every sync.* key comes from application.properties (the working folder's, key"
                    + " by key over the jar's), -Dkey=value before -jar, or an environment variable (sync.period:"
                    + " SYNC_PERIOD), the environment first. 'config' shows each value and where it came from.",
            "",
            SyncCli.EXIT_CODES})
public final class SyncCli implements Callable<Integer> {

    /** Exit codes, the same for every command. */
    public static final int OK = 0;
    public static final int FINDINGS = 1;
    public static final int ERROR = 2;
    static final String EXIT_CODES = "Exit codes: 0 fine; 1 findings (verify: the stores differ, check: a check failed);"
            + " 2 error (bad option or configuration, a store refused, the daemon did not start).";

    private static final Logger LOG = LoggerFactory.getLogger(SyncCli.class);

    private final PrintStream out;
    private final PrintStream err;
    private final Map<String, String> properties;

    /**
     * @param properties override every other source of settings (tests); empty for the jar
     */
    public SyncCli(PrintStream out, PrintStream err, Map<String, String> properties) {
        this.out = out;
        this.err = err;
        this.properties = properties;
    }

    /** Parses {@code args}, runs the command; answers the exit code. */
    public int execute(String... args) {
        CommandLine cli = new CommandLine(this);
        cli.setOut(new PrintWriter(out, true, StandardCharsets.UTF_8));
        cli.setErr(new PrintWriter(err, true, StandardCharsets.UTF_8));
        cli.setParameterExceptionHandler((e, a) -> {
            // one line, then the usage of the command it was meant for
            e.getCommandLine().getErr().println(e.getMessage());
            e.getCommandLine().usage(e.getCommandLine().getErr());
            return ERROR;
        });
        cli.setExecutionExceptionHandler((e, commandLine, parsed) -> {
            commandLine.getErr().println(commandLine.getCommandName() + " failed: " + explain(e));
            return ERROR;
        });
        return cli.execute(args);
    }

    /** No command: the daemon. */
    @Override
    public Integer call() {
        return runDaemon();
    }

    private int runDaemon() {
        org.apache.camel.main.Main main = SyncApplication.create(properties);
        try {
            main.run(new String[0]);
            return OK;
        } catch (Exception e) {
            LOG.error("cassandra-es-sync did not start: {}", SyncApplication.missingTemplate(e, main)
                    .orElseGet(() -> explain(e)));
            return ERROR;
        }
    }

    SyncCommands commands() {
        // the command's own output, not Camel's start-up lines
        quiet("org.apache.camel", ch.qos.logback.classic.Level.WARN);
        // the daemon's start-up lines (the template used, the default pair): the command prints its pairs itself
        quiet(SyncConfiguration.class.getName(), ch.qos.logback.classic.Level.WARN);
        // a store or ZooKeeper that does not answer is the command's own line, not the clients' retries
        quiet("com.datastax.oss.driver", ch.qos.logback.classic.Level.ERROR);
        quiet("org.apache.zookeeper", ch.qos.logback.classic.Level.ERROR);
        quiet("org.apache.curator", ch.qos.logback.classic.Level.ERROR);
        return new SyncCommands(out, properties);
    }

    private static void quiet(String logger, ch.qos.logback.classic.Level level) {
        if (LoggerFactory.getLogger(logger) instanceof ch.qos.logback.classic.Logger l) {
            l.setLevel(level);
        }
    }

    /** The first message of our own, skipping the exceptions Camel wraps startup failures in. */
    static String explain(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getClass().getName().startsWith("org.apache.camel.")) {
            t = t.getCause();
        }
        return t instanceof InvalidConfigurationException || t instanceof IllegalArgumentException
                || t instanceof SyncCommands.CommandFailedException ? t.getMessage() : t.toString();
    }

    @Command(name = "run", mixinStandardHelpOptions = true,
            description = "Runs the daemon (the default): every pair's cycles, health and metrics, until stopped"
                    + " (SIGTERM, Ctrl-C).", footerHeading = "%n", footer = EXIT_CODES)
    static final class Run implements Callable<Integer> {
        @ParentCommand
        private SyncCli cli;

        @Override
        public Integer call() {
            return cli.runDaemon();
        }
    }

    @Command(name = "verify", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Compares every record of each pair in both stores, in full, without the daemon (it may run"
                    + " meanwhile). Prints a summary per pair.",
                "Exit 0: the stores agree; 1: they differ; 2: error."}, footerHeading = "%n", footer = EXIT_CODES)
    static final class Verify implements Callable<Integer> {
        @ParentCommand
        private SyncCli cli;
        @Mixin
        private PairOption pair;
        @Option(names = "--output", paramLabel = "FILE.json", description = "Also write every difference found to"
                + " this JSON file.")
        private Path output;
        @Option(names = "--repair", description = "Write the newest version of each difference to the other store,"
                + " through your steps (sync.to-elasticsearch / sync.to-cassandra) as the sync does.")
        private boolean repair;

        @Override
        public Integer call() throws Exception {
            return cli.commands().verify(pair.name, output, repair);
        }
    }

    @Command(name = "dry-run", mixinStandardHelpOptions = true,
            description = {"What the next cycle of each pair would write, and why; nothing is written, no checkpoint"
                    + " moves.", "Exit 0: done; 2: error."}, footerHeading = "%n", footer = EXIT_CODES)
    static final class DryRun implements Callable<Integer> {
        @ParentCommand
        private SyncCli cli;
        @Mixin
        private PairOption pair;

        @Override
        public Integer call() throws Exception {
            return cli.commands().dryRun(pair.name);
        }
    }

    @Command(name = "check", mixinStandardHelpOptions = true,
            description = {"Preflight: can the daemon work here? For each pair: both stores answer (TLS, credentials),"
                    + " the privileges it will use, the table's uuid key and timestamp column, the timestamp index,"
                    + " the index's timestamp mapping, the checkpoint store, the election, the clocks against"
                    + " overlap. One line per check: ✔ fine, ⚠ works but worth a look, ✘ will fail, with the fix.",
                "Runs beside a running daemon; writes nothing.",
                "Exit 0: no ✘; 1: a check failed; 2: error."}, footerHeading = "%n", footer = EXIT_CODES)
    static final class Check implements Callable<Integer> {
        @ParentCommand
        private SyncCli cli;
        @Mixin
        private PairOption pair;

        @Override
        public Integer call() throws Exception {
            return cli.commands().check(pair.name);
        }
    }

    @Command(name = "config", mixinStandardHelpOptions = true,
            description = {"The effective configuration: every sync.* key and every pair's parameters, with its value"
                    + " and where it came from (default, application.properties, environment, -D, pair declaration)."
                    + " Secrets show as ****.",
                "Exit 0: shown, valid; 2: a value the daemon would refuse (named after the table), or an error."},
            footerHeading = "%n", footer = EXIT_CODES)
    static final class Config implements Callable<Integer> {
        @ParentCommand
        private SyncCli cli;

        @Override
        public Integer call() throws Exception {
            return cli.commands().config();
        }
    }

    /** {@code --pair NAME}: the commands that work on pairs. */
    static final class PairOption {
        @Option(names = "--pair", paramLabel = "NAME", description = "Only this pair (default: every pair).")
        private String name;
    }

    /** {@code --version}: this project, Camel, and the store clients inside the jar. */
    static final class Versions implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() throws IOException {
            Properties built = new Properties();
            try (InputStream in = SyncCli.class.getResourceAsStream("versions.properties")) {
                if (in != null) {
                    built.load(in);
                }
            }
            return new String[] {
                "cassandra-es-sync " + built.getProperty("project", "unknown"),
                "Apache Camel " + built.getProperty("camel", "unknown"),
                "Cassandra Java driver "
                        + com.datastax.oss.driver.api.core.session.Session.OSS_DRIVER_COORDINATES.getVersion(),
                "Elasticsearch Java client " + co.elastic.clients.transport.Version.VERSION,
                "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ")"};
        }
    }
}
