package dev.vfo.agent.device;

import dev.vfo.core.vfio.Errno;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * The answer to one device operation that the kernel can refuse with an errno. Expected kernel
 * failures (EINVAL, ENOTTY, ENODEV, EIO, ...) are values here, never exceptions, so a caller
 * cannot forget that a device may say no; exceptions are left for programming errors.
 *
 * <p>Java 17 has no pattern matching for switch: handle both cases with a switch expression over
 * {@link #kind()}.
 */
public sealed interface Outcome<T> permits Outcome.Done, Outcome.Failed {

    enum Kind {
        DONE,
        FAILED
    }

    Kind kind();

    /** The operation succeeded with {@code value}. */
    record Done<T>(T value) implements Outcome<T> {
        public Done {
            Objects.requireNonNull(value, "value");
        }

        @Override
        public Kind kind() {
            return Kind.DONE;
        }
    }

    /**
     * The operation failed with the raw errno the kernel (or the simulated device) returned and a
     * description of what was attempted.
     */
    record Failed<T>(int errno, String detail) implements Outcome<T> {
        public Failed {
            Objects.requireNonNull(detail, "detail");
            if (errno <= 0) {
                throw new IllegalArgumentException("errno must be positive, was " + errno);
            }
        }

        @Override
        public Kind kind() {
            return Kind.FAILED;
        }

        /** The errno as the enum names it, if it is one the uAPI uses. */
        public Optional<Errno> known() {
            return Errno.fromValue(errno);
        }

        /** The same failure as an outcome of another type. */
        public <U> Failed<U> retype() {
            return new Failed<>(errno, detail);
        }

        @Override
        public String toString() {
            return Errno.describe(errno) + ": " + detail;
        }
    }

    static <T> Outcome<T> done(T value) {
        return new Done<>(value);
    }

    static <T> Outcome<T> failed(int errno, String detail) {
        return new Failed<>(errno, detail);
    }

    static <T> Outcome<T> failed(Errno errno, String detail) {
        return new Failed<>(errno.value(), detail);
    }

    default boolean isDone() {
        return kind() == Kind.DONE;
    }

    /** The value of a {@link Done}, or empty. */
    default Optional<T> ok() {
        return kind() == Kind.DONE ? Optional.of(((Done<T>) this).value()) : Optional.empty();
    }

    /** The errno of a {@link Failed}, or empty. */
    default Optional<Failed<T>> failure() {
        return kind() == Kind.FAILED ? Optional.of((Failed<T>) this) : Optional.empty();
    }

    default <U> Outcome<U> map(Function<? super T, ? extends U> f) {
        return switch (kind()) {
            case DONE -> new Done<>(f.apply(((Done<T>) this).value()));
            case FAILED -> ((Failed<T>) this).retype();
        };
    }

    /** Either side as text, e.g. {@code RUNNING} or {@code ENOTTY(25): ...}. */
    default String describe() {
        return switch (kind()) {
            case DONE -> String.valueOf(((Done<T>) this).value());
            case FAILED -> this.toString();
        };
    }
}
