/** The sample's JSON API behind the dashboard. */
@NullMarked
package dev.llmix.sample.web;

import org.jspecify.annotations.NullMarked;
