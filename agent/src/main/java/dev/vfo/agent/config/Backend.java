package dev.vfo.agent.config;

/** Where the agent's devices come from. */
public enum Backend {
    /** Real VFIO devices through the kernel uAPI (JNA), found in sysfs by PCI address. */
    KERNEL,
    /** In-memory devices (tests, demos, hosts without VFIO hardware). */
    SIMULATED
}
