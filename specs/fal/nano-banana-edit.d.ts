// Vendored from the npm package @fal-ai/client 1.10.1 (the version package-lock.json pins), file
// src/types/endpoints.d.ts, copied 2026-12-02: the input and output types fal ships for fal-ai/nano-banana/edit.
// The types below were cut out of that file with their text unchanged; see specs/README.md.
export type ImageFile = {
    /**
     * The mime type of the file.
     */
    content_type?: string;
    /**
     * The name of the file. It will be auto-generated if not provided.
     */
    file_name?: string;
    /**
     * The size of the file in bytes.
     */
    file_size?: number;
    /**
     * The height of the image
     */
    height?: number;
    /**
     * The URL where the file can be downloaded from.
     */
    url: string;
    /**
     * The width of the image
     */
    width?: number;
};
export type NanoBananaEditInput = {
    /**
     * The aspect ratio of the generated image. Default value: `auto`
     */
    aspect_ratio?: "auto" | "21:9" | "16:9" | "3:2" | "4:3" | "5:4" | "1:1" | "4:5" | "3:4" | "2:3" | "9:16";
    /**
     * The URLs of the images to use for image-to-image generation or image editing.
     */
    image_urls: Array<string>;
    /**
     * Experimental parameter to limit the number of generations from each round of prompting to 1. Set to `True` to to disregard any instructions in the prompt regarding the number of images to generate.
     */
    limit_generations?: boolean;
    /**
     * The number of images to generate. Default value: `1`
     */
    num_images?: number;
    /**
     * The format of the generated image. Default value: `"png"`
     */
    output_format?: "jpeg" | "png" | "webp";
    /**
     * The prompt for image editing.
     */
    prompt: string;
    /**
     * The safety tolerance level for content moderation. 1 is the most strict (blocks most content), 6 is the least strict. Default value: `"4"`
     */
    safety_tolerance?: "1" | "2" | "3" | "4" | "5" | "6";
    /**
     * The seed for the random number generator.
     */
    seed?: number;
    /**
     * If `True`, the media will be returned as a data URI and the output data won't be available in the request history.
     */
    sync_mode?: boolean;
};
export type NanoBananaOutput = {
    /**
     * The description of the generated images.
     */
    description: string;
    /**
     * The generated images.
     */
    images: Array<ImageFile>;
};
export type NanoBananaEditOutput = NanoBananaOutput;
