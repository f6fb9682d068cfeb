package io.uplift.loadgen;

/**
 * Which operation a slot of the schedule runs. A share of the slots writes (secrets more often than
 * events, since only secrets can be read back by id); the rest reads, with health often enough to
 * see the version change. Pure: the caller gives the random numbers.
 */
public final class OperationMix {
    private static final double SECRET_SHARE_OF_WRITES = 0.6;
    private static final Operation[] READS = {
        Operation.READ_SECRET, Operation.READ_SECRET, Operation.READ_SECRET, Operation.READ_SECRET,
        Operation.LIST_SECRETS, Operation.LIST_EVENTS, Operation.LIST_EVENTS, Operation.LIST_THREATS,
        Operation.LIST_THREATS, Operation.HEALTH, Operation.HEALTH
    };

    private final double writeShare;

    public OperationMix(double writeShare) {
        if (writeShare < 0 || writeShare > 1) {
            throw new IllegalArgumentException("write share " + writeShare + " is not between 0 and 1");
        }
        this.writeShare = writeShare;
    }

    /** @param first, second two numbers in [0, 1) */
    public Operation pick(double first, double second) {
        if (first < writeShare) {
            return second < SECRET_SHARE_OF_WRITES ? Operation.WRITE_SECRET : Operation.WRITE_EVENT;
        }
        return READS[(int) (second * READS.length)];
    }
}
