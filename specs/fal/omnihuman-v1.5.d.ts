// Vendored from the npm package @fal-ai/client 1.10.1 (the version package-lock.json pins), file
// src/types/endpoints.d.ts, copied 2026-12-02: the input and output types fal ships for fal-ai/bytedance/omnihuman/v1.5.
// The types below were cut out of that file with their text unchanged; see specs/README.md.
export type File = {
    /**
     * The mime type of the file.
     */
    content_type?: string;
    /**
     * File data
     */
    file_data?: string;
    /**
     * The name of the file. It will be auto-generated if not provided.
     */
    file_name?: string;
    /**
     * The size of the file in bytes.
     */
    file_size?: number;
    /**
     * The URL where the file can be downloaded from.
     */
    url: string;
};
export type OmniHumanv15Input = {
    /**
     * The URL of the audio file to generate the video. Audio must be under 30s long for 1080p generation and under 60s long for 720p generation.
     */
    audio_url: string | Blob | File;
    /**
     * The URL of the image used to generate the video
     */
    image_url: string | Blob | File;
    /**
     * The text prompt used to guide the video generation.
     */
    prompt?: string;
    /**
     * The resolution of the generated video. Defaults to 1080p. 720p generation is faster and higher in quality. 1080p generation is limited to 30s audio and 720p generation is limited to 60s audio. Default value: `"1080p"`
     */
    resolution?: "720p" | "1080p";
    /**
     * Generate a video at a faster rate with a slight quality trade-off.
     */
    turbo_mode?: boolean;
};
export type AIAvatarOutput = {
    /**
     * Duration of the output video in seconds.
     */
    duration: number;
    /**
     * The generated video
     */
    video: File;
};
export type BytedanceOmnihumanV15Input = OmniHumanv15Input;
export type BytedanceOmnihumanV15Output = AIAvatarOutput;
