package dev.gangway.dns.lab;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/** A missing tool skips a test when not root, and fails it as root (where CI installs everything). */
public final class Prerequisite {
    private Prerequisite() {
    }

    public static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    public static void require(boolean present, String what) {
        if (present) {
            return;
        }
        if (isRoot()) {
            Assertions.fail("missing prerequisite (CI must install it): " + what);
        }
        Assumptions.abort("skipped, missing prerequisite: " + what);
    }
}
