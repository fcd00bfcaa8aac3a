package dev.gangway.launcher.cli;

import dev.gangway.launcher.doctor.Check;
import dev.gangway.launcher.doctor.Doctor;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code gangway doctor}: one line per check (ok, warning, info, missing) and the command that fixes it. */
@Command(mixinStandardHelpOptions = true, versionProvider = VersionCommand.Provider.class, name = "doctor",
        description = {"Check what Gangway needs on this machine and print the fix for anything missing.",
            "Exit code 0 when everything needed is present (warnings allowed), 1 otherwise."})
public final class DoctorCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--recheck-kvm", description = "Test-boot a KVM guest again instead of using the cached verdict.")
    boolean recheckKvm;

    @Override
    public Integer call() {
        var out = spec.commandLine().getOut();
        var checks = new Doctor(recheckKvm).run();
        int width = checks.stream().mapToInt(c -> c.name().length()).max().orElse(0);
        for (var check : checks) {
            out.printf("%-8s %-" + width + "s  %s%n", check.status().label(), check.name(), check.detail());
            if (!check.fix().isEmpty() && check.status() != Check.Status.OK) {
                out.printf("%-8s %-" + width + "s  fix: %s%n", "", "", check.fix());
            }
        }
        long warnings = checks.stream().filter(c -> c.status() == Check.Status.WARNING).count();
        if (Doctor.allNeededPresent(checks)) {
            out.println("everything needed is present" + (warnings > 0 ? " (" + warnings + " warning"
                    + (warnings > 1 ? "s" : "") + ")" : ""));
            return 0;
        }
        out.println("something needed is missing: apply the fixes above");
        return 1;
    }
}
