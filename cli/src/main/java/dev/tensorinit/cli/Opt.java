package dev.tensorinit.cli;

/**
 * One option of a subcommand, for the parser ({@link ArgParser}) and for --help: its long name ("--shape"), an
 * optional short one ("-v"), the label of its value ("DIMS"; null for a flag, which takes no value), the text --help
 * prints, and whether it must be given or is left out of --help.
 */
record Opt(String name, String shortName, String label, String description, boolean required, boolean hidden) {

    /** An option that takes a value: {@code --name VALUE} or {@code --name=VALUE}. */
    static Opt value(String name, String label, String description) {
        return new Opt(name, null, label, description, false, false);
    }

    /** A flag: present or not. */
    static Opt flag(String name, String description) {
        return new Opt(name, null, null, description, false, false);
    }

    /** -v, --verbose: the user-facing subcommands all take it. */
    static final Opt VERBOSE = new Opt("--verbose", "-v", null, "Print stack traces on failure.", false, false);

    Opt asRequired() { return new Opt(name, shortName, label, description, true, hidden); }

    Opt asHidden() { return new Opt(name, shortName, label, description, required, true); }

    boolean isFlag() { return label == null; }

    /** As messages and --help name it: "--init=NAME", "--force". */
    String display() { return isFlag() ? name : name + "=" + label; }
}
