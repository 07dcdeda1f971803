package dlx.api;

/** The value types a parameter can have; lists are comma-separated on the command line. */
public enum ParamType {
    INT, DOUBLE, BOOLEAN, STRING, CHOICE, PATH, INT_LIST, DOUBLE_LIST, STRING_LIST
}
