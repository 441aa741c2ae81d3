package dev.tensorinit.cli;

/**
 * A subcommand: its options ({@link #spec()}), how it takes their values ({@link #set}, called by {@link ArgParser}
 * once per option given, in command-line order), and what it does. Why not annotations read by a library: picocli
 * building its model from them took 130-185 ms of every run's 0.3 s in the JVM (reflection, annotation proxies and
 * generated method handles, none of which JDK 25's start-up cache keeps with the Vector API module loaded).
 */
interface Subcommand {
    CommandSpec spec();

    /** The value of {@code option} (its long name), or null for a flag; throws {@link UsageException} for a bad value. */
    void set(String option, String value);

    /** Runs the command; its exit code. Bad input found here is a {@link UsageException}; anything else exits 1. */
    int call() throws Exception;
}
