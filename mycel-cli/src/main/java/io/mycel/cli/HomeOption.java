package io.mycel.cli;

import io.mycel.node.NodeHome;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The {@code --home} option every command shares; overrides {@code $MYCEL_HOME}. */
final class HomeOption {
  @Option(names = "--home", paramLabel = "DIR", description = "Node home (default: $MYCEL_HOME, else ~/.mycel).")
  Path dir;

  NodeHome home() {
    return dir != null ? new NodeHome(dir) : NodeHome.fromEnvironment(System.getenv());
  }
}
