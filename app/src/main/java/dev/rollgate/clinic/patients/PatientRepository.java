package dev.rollgate.clinic.patients;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;
import org.hibernate.Session;

/** Patients through Hibernate ORM. Runs in a session and transaction handed out by the await-ready data layer. */
@ApplicationScoped
public class PatientRepository {

    public Patient insert(Session session, NewPatient patient) {
        PatientEntity entity = new PatientEntity(patient);
        session.persist(entity);
        return entity.toPatient();
    }

    public Optional<Patient> find(Session session, long id) {
        return Optional.ofNullable(session.find(PatientEntity.class, id)).map(PatientEntity::toPatient);
    }

    public boolean exists(Session session, long id) {
        return session.createSelectionQuery("select 1 from PatientEntity p where p.id = :id", Integer.class)
                        .setParameter("id", id)
                        .getSingleResultOrNull()
                != null;
    }

    public PatientPage page(Session session, int page, int size) {
        long offset = (long) page * size;
        List<Patient> items = offset > Integer.MAX_VALUE
                ? List.of()
                : session
                        .createSelectionQuery("from PatientEntity p order by p.id", PatientEntity.class)
                        .setFirstResult((int) offset)
                        .setMaxResults(size)
                        .getResultList()
                        .stream()
                        .map(PatientEntity::toPatient)
                        .toList();
        long total = session.createSelectionQuery("select count(p) from PatientEntity p", Long.class)
                .getSingleResult();
        return new PatientPage(items, page, size, total);
    }
}
