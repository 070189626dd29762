package org.cassandraessync.example;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * Nothing but Spring Boot: camel-spring-boot starts a Camel context, loads the route template from
 * the cassandra-es-sync jar and the pairs from camel/pairs.yaml; the sync.* settings come from
 * Spring's environment (application.properties, -D, environment variables).
 */
@SpringBootApplication
public class SyncOnSpringBoot {

    public static void main(String[] args) {
        SpringApplication.run(SyncOnSpringBoot.class, args);
    }
}
