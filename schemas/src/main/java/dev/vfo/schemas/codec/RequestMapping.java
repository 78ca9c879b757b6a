package dev.vfo.schemas.codec;

import dev.vfo.core.protocol.MigrationId;
import dev.vfo.core.saga.SagaInput;
import dev.vfo.schemas.avro.request.CancelMigration;
import dev.vfo.schemas.avro.request.StartMigration;
import java.util.Set;
import org.apache.avro.specific.SpecificRecord;

/** Control-plane requests ({@link SagaInput.Start}, {@link SagaInput.Cancel}) to and from the generated classes. */
final class RequestMapping {

    static final Set<String> TYPES = SagaMapping.names(StartMigration.getClassSchema(), CancelMigration.getClassSchema());

    private RequestMapping() {}

    static SpecificRecord toAvro(SagaInput.Start start) {
        return new StartMigration(SagaMapping.request(start.request()), start.at());
    }

    static SpecificRecord toAvro(SagaInput.Cancel cancel) {
        return new CancelMigration(cancel.migration().value(), cancel.reason(), cancel.at());
    }

    static SagaInput toDomain(SpecificRecord record) {
        if (record instanceof StartMigration) {
            StartMigration r = (StartMigration) record;
            return new SagaInput.Start(SagaMapping.request(r.getRequest()), r.getRequestedAt());
        }
        if (record instanceof CancelMigration) {
            CancelMigration r = (CancelMigration) record;
            return new SagaInput.Cancel(new MigrationId(r.getMigration()), r.getReason(), r.getRequestedAt());
        }
        throw new Refusal(Failure.Reason.UNEXPECTED_TYPE, record.getSchema().getFullName() + " is not a request");
    }
}
