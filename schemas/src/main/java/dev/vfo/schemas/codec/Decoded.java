package dev.vfo.schemas.codec;

import java.util.Objects;
import java.util.function.Function;

/**
 * The result of decoding untrusted bytes: the value, or a {@link Failure} saying why not. Decoders
 * return this instead of throwing, so a consumer loop handles bad input as data (dead-letters it)
 * and can never be crashed by a record.
 */
public sealed interface Decoded<T> {

    Kind kind();

    enum Kind {
        OK,
        FAILED
    }

    static <T> Decoded<T> ok(T value) {
        return new Ok<>(value);
    }

    static <T> Decoded<T> failed(Failure.Reason reason, String detail) {
        return new Failed<>(new Failure(reason, detail));
    }

    <U> Decoded<U> map(Function<? super T, ? extends U> f);

    <U> Decoded<U> flatMap(Function<? super T, Decoded<U>> f);

    /** The value; throws {@link IllegalStateException} naming the failure otherwise (for tests and trusted input). */
    T orElseThrow();

    record Ok<T>(T value) implements Decoded<T> {
        public Ok {
            Objects.requireNonNull(value);
        }

        @Override
        public Kind kind() {
            return Kind.OK;
        }

        @Override
        public <U> Decoded<U> map(Function<? super T, ? extends U> f) {
            return new Ok<>(f.apply(value));
        }

        @Override
        public <U> Decoded<U> flatMap(Function<? super T, Decoded<U>> f) {
            return f.apply(value);
        }

        @Override
        public T orElseThrow() {
            return value;
        }
    }

    record Failed<T>(Failure failure) implements Decoded<T> {
        public Failed {
            Objects.requireNonNull(failure);
        }

        @Override
        public Kind kind() {
            return Kind.FAILED;
        }

        @Override
        public <U> Decoded<U> map(Function<? super T, ? extends U> f) {
            return new Failed<>(failure);
        }

        @Override
        public <U> Decoded<U> flatMap(Function<? super T, Decoded<U>> f) {
            return new Failed<>(failure);
        }

        @Override
        public T orElseThrow() {
            throw new IllegalStateException("not decoded: " + failure);
        }
    }
}
