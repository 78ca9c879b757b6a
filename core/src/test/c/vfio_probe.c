/*
 * Prints what the machine's <linux/vfio.h> says about everything dev.vfo.core.vfio.abi models,
 * one "name=value" line each, or "name=absent" when this header version predates it.
 * VfioHeaderProbeTest compiles and runs this and compares every present value with Java.
 *
 * Macros are guarded with #ifdef. Enum values and structs cannot be tested for directly, so each
 * is guarded by a macro that was added to the header in the same change.
 *
 * <linux/vfio.h> comes first so that a machine without kernel headers fails on it by name,
 * which the test reads as "header missing" rather than as a broken probe.
 */
#include <linux/vfio.h>
#include <stddef.h>
#include <stdio.h>

#define SHOW(name, value) printf("%s=%llu\n", name, (unsigned long long)(value))
#define ABSENT(name) printf("%s=absent\n", name)
#define SIZE(s) SHOW("sizeof(struct " #s ")", sizeof(struct s))
#define OFFSET(s, f) SHOW("offsetof(struct " #s ", " #f ")", offsetof(struct s, f))

static void ioctls(void)
{
	SHOW("VFIO_TYPE", VFIO_TYPE);
	SHOW("VFIO_BASE", VFIO_BASE);
	SHOW("VFIO_GET_API_VERSION", VFIO_GET_API_VERSION);
	SHOW("VFIO_CHECK_EXTENSION", VFIO_CHECK_EXTENSION);
	SHOW("VFIO_SET_IOMMU", VFIO_SET_IOMMU);
	SHOW("VFIO_GROUP_GET_STATUS", VFIO_GROUP_GET_STATUS);
	SHOW("VFIO_GROUP_SET_CONTAINER", VFIO_GROUP_SET_CONTAINER);
	SHOW("VFIO_GROUP_UNSET_CONTAINER", VFIO_GROUP_UNSET_CONTAINER);
	SHOW("VFIO_GROUP_GET_DEVICE_FD", VFIO_GROUP_GET_DEVICE_FD);
	SHOW("VFIO_DEVICE_GET_INFO", VFIO_DEVICE_GET_INFO);
	SHOW("VFIO_DEVICE_GET_REGION_INFO", VFIO_DEVICE_GET_REGION_INFO);
	SHOW("VFIO_DEVICE_GET_IRQ_INFO", VFIO_DEVICE_GET_IRQ_INFO);
	SHOW("VFIO_DEVICE_SET_IRQS", VFIO_DEVICE_SET_IRQS);
	SHOW("VFIO_DEVICE_RESET", VFIO_DEVICE_RESET);
#ifdef VFIO_DEVICE_FEATURE
	SHOW("VFIO_DEVICE_FEATURE", VFIO_DEVICE_FEATURE);
#else
	ABSENT("VFIO_DEVICE_FEATURE");
#endif
#ifdef VFIO_DEVICE_BIND_IOMMUFD
	SHOW("VFIO_DEVICE_BIND_IOMMUFD", VFIO_DEVICE_BIND_IOMMUFD);
#else
	ABSENT("VFIO_DEVICE_BIND_IOMMUFD");
#endif
#ifdef VFIO_DEVICE_ATTACH_IOMMUFD_PT
	SHOW("VFIO_DEVICE_ATTACH_IOMMUFD_PT", VFIO_DEVICE_ATTACH_IOMMUFD_PT);
#else
	ABSENT("VFIO_DEVICE_ATTACH_IOMMUFD_PT");
#endif
#ifdef VFIO_DEVICE_DETACH_IOMMUFD_PT
	SHOW("VFIO_DEVICE_DETACH_IOMMUFD_PT", VFIO_DEVICE_DETACH_IOMMUFD_PT);
#else
	ABSENT("VFIO_DEVICE_DETACH_IOMMUFD_PT");
#endif
#ifdef VFIO_MIG_GET_PRECOPY_INFO
	SHOW("VFIO_MIG_GET_PRECOPY_INFO", VFIO_MIG_GET_PRECOPY_INFO);
#else
	ABSENT("VFIO_MIG_GET_PRECOPY_INFO");
#endif
}

static void feature_flags(void)
{
#ifdef VFIO_DEVICE_FEATURE
	SHOW("VFIO_DEVICE_FEATURE_MASK", VFIO_DEVICE_FEATURE_MASK);
	SHOW("VFIO_DEVICE_FEATURE_GET", VFIO_DEVICE_FEATURE_GET);
	SHOW("VFIO_DEVICE_FEATURE_SET", VFIO_DEVICE_FEATURE_SET);
	SHOW("VFIO_DEVICE_FEATURE_PROBE", VFIO_DEVICE_FEATURE_PROBE);
#else
	ABSENT("VFIO_DEVICE_FEATURE_MASK");
	ABSENT("VFIO_DEVICE_FEATURE_GET");
	ABSENT("VFIO_DEVICE_FEATURE_SET");
	ABSENT("VFIO_DEVICE_FEATURE_PROBE");
#endif
}

static void feature_ids(void)
{
#ifdef VFIO_DEVICE_FEATURE_PCI_VF_TOKEN
	SHOW("VFIO_DEVICE_FEATURE_PCI_VF_TOKEN", VFIO_DEVICE_FEATURE_PCI_VF_TOKEN);
#else
	ABSENT("VFIO_DEVICE_FEATURE_PCI_VF_TOKEN");
#endif
#ifdef VFIO_DEVICE_FEATURE_MIGRATION
	SHOW("VFIO_DEVICE_FEATURE_MIGRATION", VFIO_DEVICE_FEATURE_MIGRATION);
#else
	ABSENT("VFIO_DEVICE_FEATURE_MIGRATION");
#endif
#ifdef VFIO_DEVICE_FEATURE_MIG_DEVICE_STATE
	SHOW("VFIO_DEVICE_FEATURE_MIG_DEVICE_STATE", VFIO_DEVICE_FEATURE_MIG_DEVICE_STATE);
#else
	ABSENT("VFIO_DEVICE_FEATURE_MIG_DEVICE_STATE");
#endif
#ifdef VFIO_DEVICE_FEATURE_LOW_POWER_ENTRY
	SHOW("VFIO_DEVICE_FEATURE_LOW_POWER_ENTRY", VFIO_DEVICE_FEATURE_LOW_POWER_ENTRY);
#else
	ABSENT("VFIO_DEVICE_FEATURE_LOW_POWER_ENTRY");
#endif
#ifdef VFIO_DEVICE_FEATURE_LOW_POWER_ENTRY_WITH_WAKEUP
	SHOW("VFIO_DEVICE_FEATURE_LOW_POWER_ENTRY_WITH_WAKEUP", VFIO_DEVICE_FEATURE_LOW_POWER_ENTRY_WITH_WAKEUP);
#else
	ABSENT("VFIO_DEVICE_FEATURE_LOW_POWER_ENTRY_WITH_WAKEUP");
#endif
#ifdef VFIO_DEVICE_FEATURE_LOW_POWER_EXIT
	SHOW("VFIO_DEVICE_FEATURE_LOW_POWER_EXIT", VFIO_DEVICE_FEATURE_LOW_POWER_EXIT);
#else
	ABSENT("VFIO_DEVICE_FEATURE_LOW_POWER_EXIT");
#endif
#ifdef VFIO_DEVICE_FEATURE_DMA_LOGGING_START
	SHOW("VFIO_DEVICE_FEATURE_DMA_LOGGING_START", VFIO_DEVICE_FEATURE_DMA_LOGGING_START);
#else
	ABSENT("VFIO_DEVICE_FEATURE_DMA_LOGGING_START");
#endif
#ifdef VFIO_DEVICE_FEATURE_DMA_LOGGING_STOP
	SHOW("VFIO_DEVICE_FEATURE_DMA_LOGGING_STOP", VFIO_DEVICE_FEATURE_DMA_LOGGING_STOP);
#else
	ABSENT("VFIO_DEVICE_FEATURE_DMA_LOGGING_STOP");
#endif
#ifdef VFIO_DEVICE_FEATURE_DMA_LOGGING_REPORT
	SHOW("VFIO_DEVICE_FEATURE_DMA_LOGGING_REPORT", VFIO_DEVICE_FEATURE_DMA_LOGGING_REPORT);
#else
	ABSENT("VFIO_DEVICE_FEATURE_DMA_LOGGING_REPORT");
#endif
#ifdef VFIO_DEVICE_FEATURE_MIG_DATA_SIZE
	SHOW("VFIO_DEVICE_FEATURE_MIG_DATA_SIZE", VFIO_DEVICE_FEATURE_MIG_DATA_SIZE);
#else
	ABSENT("VFIO_DEVICE_FEATURE_MIG_DATA_SIZE");
#endif
#ifdef VFIO_DEVICE_FEATURE_BUS_MASTER
	SHOW("VFIO_DEVICE_FEATURE_BUS_MASTER", VFIO_DEVICE_FEATURE_BUS_MASTER);
#else
	ABSENT("VFIO_DEVICE_FEATURE_BUS_MASTER");
#endif
#ifdef VFIO_DEVICE_FEATURE_DMA_BUF
	SHOW("VFIO_DEVICE_FEATURE_DMA_BUF", VFIO_DEVICE_FEATURE_DMA_BUF);
#else
	ABSENT("VFIO_DEVICE_FEATURE_DMA_BUF");
#endif
}

static void migration_flags(void)
{
#ifdef VFIO_MIGRATION_STOP_COPY
	SHOW("VFIO_MIGRATION_STOP_COPY", VFIO_MIGRATION_STOP_COPY);
#else
	ABSENT("VFIO_MIGRATION_STOP_COPY");
#endif
#ifdef VFIO_MIGRATION_P2P
	SHOW("VFIO_MIGRATION_P2P", VFIO_MIGRATION_P2P);
#else
	ABSENT("VFIO_MIGRATION_P2P");
#endif
#ifdef VFIO_MIGRATION_PRE_COPY
	SHOW("VFIO_MIGRATION_PRE_COPY", VFIO_MIGRATION_PRE_COPY);
#else
	ABSENT("VFIO_MIGRATION_PRE_COPY");
#endif
}

/* enum vfio_device_mig_state (protocol v2) came with VFIO_DEVICE_FEATURE_MIG_DEVICE_STATE,
 * its PRE_COPY states with VFIO_MIGRATION_PRE_COPY. */
static void device_states(void)
{
#ifdef VFIO_DEVICE_FEATURE_MIG_DEVICE_STATE
	SHOW("VFIO_DEVICE_STATE_ERROR", VFIO_DEVICE_STATE_ERROR);
	SHOW("VFIO_DEVICE_STATE_STOP", VFIO_DEVICE_STATE_STOP);
	SHOW("VFIO_DEVICE_STATE_RUNNING", VFIO_DEVICE_STATE_RUNNING);
	SHOW("VFIO_DEVICE_STATE_STOP_COPY", VFIO_DEVICE_STATE_STOP_COPY);
	SHOW("VFIO_DEVICE_STATE_RESUMING", VFIO_DEVICE_STATE_RESUMING);
	SHOW("VFIO_DEVICE_STATE_RUNNING_P2P", VFIO_DEVICE_STATE_RUNNING_P2P);
#else
	ABSENT("VFIO_DEVICE_STATE_ERROR");
	ABSENT("VFIO_DEVICE_STATE_STOP");
	ABSENT("VFIO_DEVICE_STATE_RUNNING");
	ABSENT("VFIO_DEVICE_STATE_STOP_COPY");
	ABSENT("VFIO_DEVICE_STATE_RESUMING");
	ABSENT("VFIO_DEVICE_STATE_RUNNING_P2P");
#endif
#ifdef VFIO_MIGRATION_PRE_COPY
	SHOW("VFIO_DEVICE_STATE_PRE_COPY", VFIO_DEVICE_STATE_PRE_COPY);
	SHOW("VFIO_DEVICE_STATE_PRE_COPY_P2P", VFIO_DEVICE_STATE_PRE_COPY_P2P);
#else
	ABSENT("VFIO_DEVICE_STATE_PRE_COPY");
	ABSENT("VFIO_DEVICE_STATE_PRE_COPY_P2P");
#endif
}

static void layouts(void)
{
#ifdef VFIO_DEVICE_FEATURE
	SIZE(vfio_device_feature);
	OFFSET(vfio_device_feature, argsz);
	OFFSET(vfio_device_feature, flags);
	OFFSET(vfio_device_feature, data);
#else
	ABSENT("sizeof(struct vfio_device_feature)");
	ABSENT("offsetof(struct vfio_device_feature, argsz)");
	ABSENT("offsetof(struct vfio_device_feature, flags)");
	ABSENT("offsetof(struct vfio_device_feature, data)");
#endif
#ifdef VFIO_DEVICE_FEATURE_MIGRATION
	SIZE(vfio_device_feature_migration);
	OFFSET(vfio_device_feature_migration, flags);
#else
	ABSENT("sizeof(struct vfio_device_feature_migration)");
	ABSENT("offsetof(struct vfio_device_feature_migration, flags)");
#endif
#ifdef VFIO_DEVICE_FEATURE_MIG_DEVICE_STATE
	SIZE(vfio_device_feature_mig_state);
	OFFSET(vfio_device_feature_mig_state, device_state);
	OFFSET(vfio_device_feature_mig_state, data_fd);
#else
	ABSENT("sizeof(struct vfio_device_feature_mig_state)");
	ABSENT("offsetof(struct vfio_device_feature_mig_state, device_state)");
	ABSENT("offsetof(struct vfio_device_feature_mig_state, data_fd)");
#endif
#ifdef VFIO_DEVICE_FEATURE_MIG_DATA_SIZE
	SIZE(vfio_device_feature_mig_data_size);
	OFFSET(vfio_device_feature_mig_data_size, stop_copy_length);
#else
	ABSENT("sizeof(struct vfio_device_feature_mig_data_size)");
	ABSENT("offsetof(struct vfio_device_feature_mig_data_size, stop_copy_length)");
#endif
#ifdef VFIO_MIG_GET_PRECOPY_INFO
	SIZE(vfio_precopy_info);
	OFFSET(vfio_precopy_info, argsz);
	OFFSET(vfio_precopy_info, flags);
	OFFSET(vfio_precopy_info, initial_bytes);
	OFFSET(vfio_precopy_info, dirty_bytes);
#else
	ABSENT("sizeof(struct vfio_precopy_info)");
	ABSENT("offsetof(struct vfio_precopy_info, argsz)");
	ABSENT("offsetof(struct vfio_precopy_info, flags)");
	ABSENT("offsetof(struct vfio_precopy_info, initial_bytes)");
	ABSENT("offsetof(struct vfio_precopy_info, dirty_bytes)");
#endif
}

int main(void)
{
	ioctls();
	feature_flags();
	feature_ids();
	migration_flags();
	device_states();
	layouts();
	return ferror(stdout) ? 1 : 0;
}
