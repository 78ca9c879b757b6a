package dev.vfo.core.vfio.abi;

/**
 * A VFIO_DEVICE_FEATURE payload ({@code data[]}) of the migration path. Each one knows the feature
 * it belongs to and its exact bytes, so {@link FeatureRequest} can put header and payload together
 * without a size table of its own.
 */
public sealed interface FeaturePayload permits MigrationFeature, MigStateFeature, MigDataSizeFeature {

    /** The feature whose {@code data[]} this is. */
    FeatureId feature();

    /** The payload's exact little-endian bytes. */
    byte[] encode();
}
