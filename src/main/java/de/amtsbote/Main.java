package de.amtsbote;

import de.amtsbote.config.Config;
import de.amtsbote.config.ConfigException;
import de.amtsbote.config.ConfigLoader;
import de.amtsbote.http.MatrixException;
import de.amtsbote.storage.Database;
import de.amtsbote.storage.Stores;
import de.amtsbote.users.Accounts;
import java.io.BufferedReader;
import java.io.Console;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Command line: {@code serve} runs the server; {@code user add} creates accounts without the server running
 * (or while it runs, on SQLite and PostgreSQL alike).
 */
public final class Main {
    private static final String USAGE = """
            Usage:
              amtsbote serve [--config FILE]
              amtsbote user add NAME [--admin] [--displayname NAME] [--password-stdin | --password PW] [--config FILE]
            """ + AuditCommand.USAGE + """

            FILE defaults to ./amtsbote.yaml and is created with commented defaults if missing.
            """;

    private Main() {}

    public static void main(String[] args) {
        try {
            System.exit(run(args));
        } catch (ConfigException e) {
            System.err.println(e.getMessage());
            System.exit(2);
        }
    }

    static int run(String[] argv) throws ConfigException {
        List<String> args = new ArrayList<>(List.of(argv));
        Path configFile = Path.of(option(args, "--config", "amtsbote.yaml"));
        if (args.isEmpty() || args.getFirst().equals("--help") || args.getFirst().equals("-h")) {
            System.out.print(USAGE);
            return args.isEmpty() ? 2 : 0;
        }
        try {
            if (ConfigLoader.createDefaultIfMissing(configFile)) {
                System.out.println("Created configuration file " + configFile.toAbsolutePath() + " with defaults.");
            }
        } catch (java.io.IOException e) {
            throw new ConfigException("Cannot create " + configFile + ": " + e.getMessage());
        }
        Config config = ConfigLoader.load(configFile);
        return switch (args.getFirst()) {
            case "serve" -> serve(config, configFile);
            case "user" -> user(config, args.subList(1, args.size()));
            case "audit" -> AuditCommand.run(config, args.subList(1, args.size()), System.out, System.err);
            default -> {
                System.err.print(USAGE);
                yield 2;
            }
        };
    }

    private static int serve(Config config, Path configFile) {
        try {
            AmtsboteServer server = new AmtsboteServer(config).start();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    server.close();
                } catch (Exception ignored) {
                    // shutting down anyway
                }
            }));
            String url = "http://" + (config.listenAddress().equals("0.0.0.0") ? "localhost" : config.listenAddress())
                    + ":" + server.port() + "/";
            System.out.println("Amtsbote is running at " + url + " (server name " + config.serverName() + ")");
            System.out.println("Public address for apps: " + config.publicBaseUrl());
            System.out.println("Create the first admin account with:");
            System.out.println("  ./amtsbote user add admin --admin --config " + configFile);
            Thread.currentThread().join();
            return 0;
        } catch (InterruptedException e) {
            return 0;
        } catch (Exception e) {
            System.err.println("Amtsbote could not start: " + e.getMessage());
            return 1;
        }
    }

    private static int user(Config config, List<String> args) {
        if (args.size() < 2 || !args.getFirst().equals("add")) {
            System.err.print(USAGE);
            return 2;
        }
        List<String> rest = new ArrayList<>(args.subList(1, args.size()));
        boolean admin = rest.remove("--admin");
        boolean fromStdin = rest.remove("--password-stdin");
        String password = option(rest, "--password", null);
        String displayname = option(rest, "--displayname", null);
        if (rest.size() != 1) {
            System.err.print(USAGE);
            return 2;
        }
        String name = rest.getFirst();
        try {
            if (password == null) password = readPassword(fromStdin);
        } catch (java.io.IOException e) {
            System.err.println("Cannot read the password: " + e.getMessage());
            return 1;
        }
        try (Database db = Database.open(config.database())) {
            Accounts accounts = new Accounts(Stores.of(db).accounts(), config.serverName(), 10);
            String userId = accounts.createUser(name, password, admin, displayname);
            new de.amtsbote.admin.AuditLog(new de.amtsbote.storage.jdbc.JdbcAuditStore(db), System::currentTimeMillis)
                    .recordSystem("cli", "user.create", userId,
                            de.amtsbote.util.Json.object().put("admin", admin).put("displayname", displayname));
            System.out.println("Created " + (admin ? "admin " : "") + "account " + userId);
            return 0;
        } catch (MatrixException e) {
            System.err.println("Cannot create the account: " + e.getMessage());
            return 1;
        }
    }

    private static String readPassword(boolean fromStdin) throws java.io.IOException {
        Console console = System.console();
        if (!fromStdin && console != null) {
            char[] a = console.readPassword("Password: ");
            char[] b = console.readPassword("Repeat password: ");
            if (a == null || b == null || !new String(a).equals(new String(b))) {
                throw new java.io.IOException("the passwords do not match");
            }
            return new String(a);
        }
        String line = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
        if (line == null) throw new java.io.IOException("no password given on standard input");
        return line;
    }

    /** Removes "--name value" from args and returns value, or dflt. */
    private static String option(List<String> args, String name, String dflt) {
        int i = args.indexOf(name);
        if (i < 0) return dflt;
        if (i + 1 >= args.size()) throw new ConfigException("Option " + name + " needs a value");
        String v = args.get(i + 1);
        args.remove(i + 1);
        args.remove(i);
        return v;
    }
}
