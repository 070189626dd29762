package org.cassandraessync.elasticsearch;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The request-size limit as Elasticsearch reports it ({@code http.max_content_length}). */
class ElasticsearchWriterTest {

    @Test
    void byte_sizes_are_read_in_elasticsearch_units() {
        assertThat(ElasticsearchWriter.bytes("100mb")).isEqualTo(100L * 1024 * 1024);
        assertThat(ElasticsearchWriter.bytes("5mb")).isEqualTo(5L * 1024 * 1024);
        assertThat(ElasticsearchWriter.bytes("512kb")).isEqualTo(512L * 1024);
        assertThat(ElasticsearchWriter.bytes("1gb")).isEqualTo(1L << 30);
        assertThat(ElasticsearchWriter.bytes("1048576b")).isEqualTo(1_048_576L);
        assertThat(ElasticsearchWriter.bytes("2048")).isEqualTo(2048L);
    }
}
