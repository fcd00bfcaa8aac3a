package dev.gangway.launcher.doctor;

/**
 * One line of {@code gangway doctor}.
 *
 * @param name what was checked, e.g. {@code kvm}
 * @param status the verdict
 * @param detail what was found
 * @param fix the exact command (or step) that fixes it, empty when nothing needs fixing
 */
public record Check(String name, Status status, String detail, String fix) {
    /** How a check came out. Only {@link #MISSING} makes the doctor fail. */
    public enum Status {
        /** Present and working. */
        OK("ok"),
        /** Works, but something is slower or a feature is off; Gangway carries on. */
        WARNING("warning"),
        /** Not there yet, and Gangway makes it on demand (e.g. the lab image). */
        INFO("info"),
        /** Needed and absent: the fix must be applied. */
        MISSING("missing");

        private final String label;

        Status(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    static Check ok(String name, String detail) {
        return new Check(name, Status.OK, detail, "");
    }

    static Check warning(String name, String detail, String fix) {
        return new Check(name, Status.WARNING, detail, fix);
    }

    static Check info(String name, String detail, String fix) {
        return new Check(name, Status.INFO, detail, fix);
    }

    static Check missing(String name, String detail, String fix) {
        return new Check(name, Status.MISSING, detail, fix);
    }
}
