package io.unbreakable.payments.batch.settlement;

import org.springframework.batch.core.partition.PartitionHandler;
import org.springframework.batch.core.step.Step;

/** Where the settlement's partitions run: this process's threads, or remote workers. */
interface SettlementPartitionHandlers {

    /** A handler that runs {@code workerStep} once per partition and returns when every one has ended. */
    PartitionHandler handlerFor(Step workerStep);
}
