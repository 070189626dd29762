package org.cassandraessync.sandbox.analysis;

import org.apache.lucene.analysis.CharArraySet;
import org.apache.lucene.analysis.TokenFilter;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.Tokenizer;
import org.apache.lucene.analysis.email.UAX29URLEmailTokenizer;
import org.apache.lucene.analysis.pattern.PatternCaptureGroupTokenFilter;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.analysis.tokenattributes.PositionIncrementAttribute;
import org.elasticsearch.index.analysis.AbstractTokenFilterFactory;
import org.elasticsearch.index.analysis.AbstractTokenizerFactory;
import org.elasticsearch.index.analysis.TokenFilterFactory;
import org.elasticsearch.index.analysis.TokenizerFactory;
import org.elasticsearch.indices.analysis.AnalysisModule.AnalysisProvider;
import org.elasticsearch.plugins.AnalysisPlugin;
import org.elasticsearch.plugins.Plugin;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Test sandbox only: the parts of Elasticsearch's analysis-common module that the .security system
 * index needs (the "pattern_capture" and "unique" token filters, the "uax_url_email" tokenizer),
 * which the integ-test-zip distribution on Maven Central lacks. Without them the .security index
 * cannot be created, and with it API keys. Compiled against the distribution's own jars and
 * installed as a module when the sandbox starts secured (ElasticsearchServer). "lowercase" and
 * "standard" are already registered by core Elasticsearch.
 */
public class SecurityAnalysisShimPlugin extends Plugin implements AnalysisPlugin {

    @Override
    public Map<String, AnalysisProvider<TokenFilterFactory>> getTokenFilters() {
        return Map.of(
            "pattern_capture", AnalysisPlugin.requiresAnalysisSettings((indexSettings, env, name, settings) -> {
                List<String> regexes = settings.getAsList("patterns", List.of(), false);
                if (regexes.isEmpty()) {
                    throw new IllegalArgumentException("required setting 'patterns' is missing for token filter [" + name + "]");
                }
                Pattern[] patterns = new Pattern[regexes.size()];
                for (int i = 0; i < patterns.length; i++) {
                    patterns[i] = Pattern.compile(regexes.get(i));
                }
                boolean preserveOriginal = settings.getAsBoolean("preserve_original", true);
                return new AbstractTokenFilterFactory(name) {
                    @Override
                    public TokenStream create(TokenStream tokenStream) {
                        return new PatternCaptureGroupTokenFilter(tokenStream, preserveOriginal, patterns);
                    }
                };
            }),
            "unique", (indexSettings, env, name, settings) -> {
                boolean onlyOnSamePosition = settings.getAsBoolean("only_on_same_position", false);
                return new AbstractTokenFilterFactory(name) {
                    @Override
                    public TokenStream create(TokenStream tokenStream) {
                        return new UniqueTokenFilter(tokenStream, onlyOnSamePosition);
                    }
                };
            }
        );
    }

    @Override
    public Map<String, AnalysisProvider<TokenizerFactory>> getTokenizers() {
        return Map.of("uax_url_email", (indexSettings, env, name, settings) -> {
            int maxTokenLength = settings.getAsInt("max_token_length", 255);
            return new AbstractTokenizerFactory(name) {
                @Override
                public Tokenizer create() {
                    UAX29URLEmailTokenizer tokenizer = new UAX29URLEmailTokenizer();
                    tokenizer.setMaxTokenLength(maxTokenLength);
                    return tokenizer;
                }
            };
        });
    }

    /** Same semantics as analysis-common's UniqueTokenFilter: drops tokens already seen in the stream. */
    static final class UniqueTokenFilter extends TokenFilter {
        private final CharTermAttribute termAttribute = addAttribute(CharTermAttribute.class);
        private final PositionIncrementAttribute posIncAttribute = addAttribute(PositionIncrementAttribute.class);
        private final CharArraySet previous = new CharArraySet(8, false);
        private final boolean onlyOnSamePosition;

        UniqueTokenFilter(TokenStream in, boolean onlyOnSamePosition) {
            super(in);
            this.onlyOnSamePosition = onlyOnSamePosition;
        }

        @Override
        public boolean incrementToken() throws IOException {
            while (input.incrementToken()) {
                final char[] term = termAttribute.buffer();
                final int length = termAttribute.length();
                boolean duplicate;
                if (onlyOnSamePosition) {
                    final int posIncrement = posIncAttribute.getPositionIncrement();
                    if (posIncrement > 0) {
                        previous.clear();
                    }
                    duplicate = (posIncrement == 0 && previous.contains(term, 0, length));
                } else {
                    duplicate = previous.contains(term, 0, length);
                }
                char[] saved = new char[length];
                System.arraycopy(term, 0, saved, 0, length);
                previous.add(saved);
                if (duplicate == false) {
                    return true;
                }
            }
            return false;
        }

        @Override
        public void reset() throws IOException {
            super.reset();
            previous.clear();
        }
    }
}
