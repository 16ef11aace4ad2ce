package io.tandem.audit;

import org.springframework.data.jpa.repository.JpaSpecificationExecutor;
import org.springframework.data.repository.Repository;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;
import org.springframework.data.jpa.domain.Specification;

/** Append and read only: no update or delete methods exist on purpose. */
interface AuditEvents extends Repository<AuditEvent, Long>, JpaSpecificationExecutor<AuditEvent> {

    AuditEvent save(AuditEvent event);

    Page<AuditEvent> findAll(Specification<AuditEvent> filter, Pageable page);
}
