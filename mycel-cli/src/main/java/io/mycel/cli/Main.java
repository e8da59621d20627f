package io.mycel.cli;

import io.mycel.node.Version;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code mycel} command. */
@Command(
    name = "mycel",
    mixinStandardHelpOptions = true,
    // --help and --version on every command and subcommand, e.g. `mycel site publish --help`.
    scope = CommandLine.ScopeType.INHERIT,
    versionProvider = Main.VersionProvider.class,
    description = {
      "Mycel, the people's cloud: share disk, CPU and bandwidth; host, store and deliver content peer to peer.",
      "",
      "The node home is $MYCEL_HOME, else ~/.mycel."
    },
    subcommands = {
      InitCommand.class,
      IdCommand.class,
      DaemonCommand.class,
      DevnetCommand.class,
      PingCommand.class,
      AddCommand.class,
      PinCommand.class,
      RepoCommand.class,
      CarCommand.class,
      CatCommand.class,
      GetCommand.class,
      KeyCommand.class,
      NameCommand.class,
      NetCommand.class,
      SiteCommand.class,
      CommandLine.HelpCommand.class
    })
public final class Main {

  public static void main(String[] args) {
    boolean daemon = args.length > 0 && args[0].equals("daemon");
    if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
      System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", daemon ? "info" : "warn");
    }
    System.exit(commandLine().execute(args));
  }

  /** The configured command line, also used by tests. */
  public static CommandLine commandLine() {
    CommandLine cli = new CommandLine(new Main());
    cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
      commandLine.getErr().println("error: " + Cli.describe(e));
      return 1;
    });
    return cli;
  }

  static final class VersionProvider implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"mycel " + Version.version(), "java " + Runtime.version()};
    }
  }
}
