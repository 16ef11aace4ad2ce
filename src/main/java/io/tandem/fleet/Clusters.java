package io.tandem.fleet;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;

interface Clusters extends JpaRepository<Cluster, UUID> {

    @Query("select c from Cluster c where lower(c.name) = lower(?1)")
    Optional<Cluster> findByName(String name);

    @Query("select c from Cluster c left join fetch c.nodes order by lower(c.name)")
    List<Cluster> findAllWithNodes();
}
