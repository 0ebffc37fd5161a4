package dev.grapevine.bench.report;

/** Input the report cannot read; the message names the file and line. BenchReport exits with 2. */
final class BadInputException extends Exception {
    BadInputException(String message) {
        super(message);
    }
}
