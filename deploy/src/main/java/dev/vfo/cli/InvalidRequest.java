package dev.vfo.cli;

/**
 * The request cannot be carried out as asked, for a reason the user can fix: the command exits 2
 * and prints the message on standard error. Anything else thrown from a command is a failure of
 * the job (exit 1).
 */
final class InvalidRequest extends RuntimeException {
    private static final long serialVersionUID = 1L;

    InvalidRequest(String message) {
        super(message);
    }
}
