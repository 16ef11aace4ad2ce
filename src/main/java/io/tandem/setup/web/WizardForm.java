package io.tandem.setup.web;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.tandem.setup.SetupForm;

/**
 * The wizard's fields as the browser posts them: outputs one per line, fence parameters as {@code name=value}
 * lines. The password is bound only to build the {@link SetupForm}; no page ever renders it back. Public: the Apply
 * button under a dry run posts the same fields to the operations' page handler.
 */
public record WizardForm(String mode, String clusterName, String activeNode, String outputs, String vip, String haclusterPassword,
                         boolean fenceNone, String fenceAgent, String fenceParams, String drbdResource, String drbdDevice,
                         String drbdMountPoint, Integer drbdPort, String nfoAgent, String storage, String mountDevice,
                         String mountPoint, String mountFstype, String mountOptions) {

    /** The Cold storage choice that keeps the mount of storage replicated already ({@code storage=mount}). */
    static final String STORAGE_MOUNT = "mount";


    @Override
    public String toString() {
        return "WizardForm" + toSetupForm(); // SetupForm's toString leaves the password out
    }

    public SetupForm toSetupForm() {
        Map<String, String> params = new LinkedHashMap<>();
        lines(fenceParams).forEach(l -> {
            int eq = l.indexOf('=');
            params.put(eq < 0 ? l : l.substring(0, eq).strip(), eq < 0 ? "" : l.substring(eq + 1).strip());
        });
        boolean cold = "COLD".equalsIgnoreCase(mode);
        boolean mount = cold && STORAGE_MOUNT.equals(storage);
        return new SetupForm(mode, clusterName, activeNode, lines(outputs), vip, haclusterPassword,
                new SetupForm.Fencing(fenceNone ? Boolean.TRUE : null, fenceNone || blank(fenceAgent) ? null : fenceAgent.strip(),
                        params),
                cold && !mount ? new SetupForm.Drbd(drbdResource, drbdDevice, drbdMountPoint, drbdPort) : null,
                blank(nfoAgent) ? null : nfoAgent,
                mount ? new SetupForm.ReplicatedMount(mountDevice, mountPoint, mountFstype, blank(mountOptions) ? null : mountOptions) : null);
    }

    private static List<String> lines(String text) {
        return text == null ? List.of() : Arrays.stream(text.split("\\R")).map(String::strip).filter(l -> !l.isEmpty()).toList();
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
