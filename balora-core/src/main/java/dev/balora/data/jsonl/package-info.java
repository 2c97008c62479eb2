/**
 * Prompt/response data for causal-LM fine-tuning from JSONL files: generic {@code {"prompt","response"}}, GSM8K
 * {@code {"question","answer"}} through a prompt template, and pre-tokenized {@code {"prompt_ids","response_ids"}}
 * for models without a tokenizer; encoded with the prompt (and padding) masked out of the labels.
 */
package dev.balora.data.jsonl;
